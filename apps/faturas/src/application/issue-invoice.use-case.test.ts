import { newEvent } from '@order-platform/contracts';
import { DEFAULT_SERIES, documentKeys, nfeXml } from '../domain/invoice';
import { issueInvoice, type IssueInvoiceDeps } from './issue-invoice.use-case';
import { InMemoryInvoices } from './testing/in-memory-invoices';

function deps() {
  let id = 0;
  const stored = new Map<string, Buffer | string>();
  const mails: string[] = [];
  const texts: string[] = [];
  const mailFailures = { left: 0 };
  /** Keys whose next put fails as S3 does when it answers 503 SlowDown (after the SDK's retries). */
  const storeFailures = new Set<string>();
  const d: IssueInvoiceDeps & {
    stored: typeof stored;
    mails: typeof mails;
    texts: typeof texts;
    invoices: InMemoryInvoices;
    mailFailures: typeof mailFailures;
    storeFailures: typeof storeFailures;
  } = {
    invoices: new InMemoryInvoices(),
    documents: {
      put: async (key, body) => {
        if (storeFailures.delete(key))
          throw Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' });
        stored.set(key, body);
      },
    },
    pdf: { render: async (inv) => Buffer.from(`%PDF fatura ${inv.number}`) },
    invoiceUrl: (orderId) => `https://api.example/prod/invoices/${orderId}`,
    mailer: {
      sendOnce: async (key, message) => {
        if (mailFailures.left-- > 0) throw new Error('SES: Throttling');
        if (mails.includes(key)) return 'duplicate';
        mails.push(key);
        texts.push(message.text);
        return 'sent';
      },
    },
    now: () => new Date('2026-11-22T12:00:00Z'),
    newId: () => `inv-${++id}`,
    stored,
    mails,
    texts,
    mailFailures,
    storeFailures,
  };
  return d;
}

const completed = (orderId: string) =>
  newEvent(
    'OrderCompleted',
    'pedidos',
    {
      orderId,
      customerId: 'c1',
      customerEmail: 'c1@example.com',
      items: [{ productId: 'p&1', quantity: 2, unitPrice: 1250 }],
      total: 2500,
      currency: 'BRL',
      completedAt: '2026-11-22T12:00:00.000Z',
    },
    { correlationId: `corr-${orderId}` },
  );

describe('issueInvoice', () => {
  it('numbers invoices 1, 2, 3 in the series, stores PDF and XML, publishes InvoiceIssued and mails a link', async () => {
    // Prepare
    const d = deps();
    // Act
    const numbers = [];
    for (const orderId of ['o1', 'o2', 'o3'])
      numbers.push((await issueInvoice(d, completed(orderId))).number);
    // Assess
    expect(numbers).toEqual([1, 2, 3]);
    expect([...d.stored.keys()]).toContain('invoices/1/000000001-o1.pdf');
    expect(String(d.stored.get('invoices/1/000000001-o1.xml'))).toContain('<nNF>1</nNF>');
    expect(d.invoices.events.map((e) => [e.data.orderId, e.data.number, e.correlationId])).toEqual([
      ['o1', 1, 'corr-o1'],
      ['o2', 2, 'corr-o2'],
      ['o3', 3, 'corr-o3'],
    ]);
    expect(d.mails).toHaveLength(3);
  });

  it('mails the address of the invoice in the authenticated API, never a link that opens the documents', async () => {
    // Prepare
    const d = deps();
    // Act
    await issueInvoice(d, completed('o1'));
    // Assess
    expect(d.texts).toHaveLength(1);
    expect(d.texts[0]).toContain('https://api.example/prod/invoices/o1');
    expect(d.texts[0]).not.toMatch(/invoices\/1\/|X-Amz|\.pdf/);
  });

  it('issues one invoice per order however often OrderCompleted arrives', async () => {
    // Prepare
    const d = deps();
    const event = completed('o1');
    // Act
    await issueInvoice(d, event);
    await issueInvoice(d, event);
    // Assess
    expect(d.invoices.series.get('1')).toBe(1);
    expect(d.invoices.events).toHaveLength(1);
    expect(d.mails).toHaveLength(1);
  });

  it('leaves no gap when concurrent deliveries race for numbers', async () => {
    // Prepare
    const d = deps();
    // Act
    const issued = await Promise.all(
      ['a', 'b', 'c', 'd', 'e', 'a', 'b'].map((o) => issueInvoice(d, completed(o))),
    );
    // Assess
    const byOrder = new Map(issued.map((i) => [i.orderId, i.number]));
    expect([...byOrder.values()].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(d.invoices.series.get('1')).toBe(5);
  });
});

describe('issueInvoice when SES fails', () => {
  it('retries the mail of an invoice issued by the failed delivery: the mail is not lost, nothing is issued twice', async () => {
    // Prepare
    const d = deps();
    d.mailFailures.left = 1;
    // Act
    await expect(issueInvoice(d, completed('o1'))).rejects.toThrow('Throttling');
    const issuedBeforeRetry = d.invoices.invoices.get('o1')!.status;
    const retried = await issueInvoice(d, completed('o1'));
    await issueInvoice(d, completed('o1'));
    // Assess
    expect(issuedBeforeRetry).toBe('ISSUED');
    expect(retried.number).toBe(1);
    expect(d.mails).toEqual([`invoice-${retried.invoiceId}`]);
    expect(d.invoices.events).toHaveLength(1);
  });
});

describe('issueInvoice when S3 fails between the two documents', () => {
  it('keeps the number it took, issues nothing until both are stored, and finishes the same invoice on the retry', async () => {
    // Prepare: the PDF is stored, then S3 refuses the XML.
    const d = deps();
    d.storeFailures.add(documentKeys('o1', DEFAULT_SERIES, 1).xmlKey);
    // Act
    const failed = issueInvoice(d, completed('o1'));
    await expect(failed).rejects.toThrow('Please reduce your request rate.');
    const meanwhile = d.invoices.invoices.get('o1')!;
    const other = await issueInvoice(d, completed('o2'));
    const retried = await issueInvoice(d, completed('o1'));
    // Assess: while it failed, the invoice held its number and was neither announced nor mailed ...
    expect(meanwhile).toMatchObject({ status: 'ISSUING', number: 1 });
    expect(other.number).toBe(2);
    // ... and the retry finished that invoice: one number each, both documents, one event, one mail.
    expect(retried).toMatchObject({ status: 'ISSUED', number: 1, invoiceId: meanwhile.invoiceId });
    const keys = [documentKeys('o1', DEFAULT_SERIES, 1), documentKeys('o2', DEFAULT_SERIES, 2)];
    expect([...d.stored.keys()].sort()).toEqual(keys.flatMap((k) => [k.pdfKey, k.xmlKey]).sort());
    expect(d.invoices.events.map((e) => (e.data as { orderId: string }).orderId).sort()).toEqual([
      'o1',
      'o2',
    ]);
    expect(d.mails).toEqual([`invoice-${other.invoiceId}`, `invoice-${retried.invoiceId}`]);
  });
});

describe('nfeXml', () => {
  it('escapes text and writes amounts with two decimals', () => {
    // Prepare
    // Act
    const xml = nfeXml({
      invoiceId: 'i',
      status: 'ISSUED',
      orderId: 'o<1>',
      customerId: 'c',
      items: [{ productId: 'p&1', quantity: 3, unitPrice: 999 }],
      series: '1',
      number: 7,
      total: 2997,
      currency: 'BRL',
      issuedAt: '2026-11-22T12:00:00.000Z',
      pdfKey: 'k',
      xmlKey: 'x',
    });
    // Assess
    expect(xml).toContain('<xPed>o&lt;1&gt;</xPed>');
    expect(xml).toContain('<cProd>p&amp;1</cProd>');
    expect(xml).toContain('<vProd>29.97</vProd>');
  });
});
