// The invoice store against DynamoDB Local, through the real SDK client.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { newEvent } from '@order-platform/contracts';
import { localEmulators } from '@order-platform/testing/emulators';
import { documentKeys, type Invoice } from '../domain/invoice';
import { DynamoDbInvoiceRepository } from './dynamodb-invoice.repository';

let cloud: Awaited<ReturnType<typeof localEmulators>>;
beforeAll(async () => {
  cloud = await localEmulators(['dynamodb']);
}, 90000);
afterAll(() => cloud?.stop());

const draft: Invoice = {
  invoiceId: 'inv-1',
  status: 'ISSUING',
  orderId: 'o1',
  customerId: 'c1',
  items: [{ productId: 'p1', quantity: 1, unitPrice: 1000 }],
  series: '1',
  number: 1,
  total: 1000,
  currency: 'BRL',
  issuedAt: '2026-11-23T12:00:00.000Z',
  ...documentKeys('o1', '1', 1),
};
const trace = { correlationId: 'corr-1' };
const issued = newEvent(
  'InvoiceIssued',
  'faturas',
  {
    invoiceId: 'inv-1',
    orderId: 'o1',
    customerId: 'c1',
    series: '1',
    number: 1,
    total: 1000,
    pdfKey: draft.pdfKey,
    xmlKey: draft.xmlKey,
  },
  trace,
);
const cancelled = newEvent(
  'InvoiceCancelled',
  'faturas',
  { invoiceId: 'inv-1', orderId: 'o1', customerId: 'c1', series: '1', number: 1, reason: 'Withdrawn' },
  trace,
);

describe('DynamoDbInvoiceRepository', () => {
  it('issues then cancels an invoice once each, with one outbox event per move, keeping its number', async () => {
    // Prepare
    const table = await cloud.newTable();
    const invoices = new DynamoDbInvoiceRepository(cloud.doc, table);
    await invoices.allocate(draft);
    // Act
    await invoices.finalize({ ...draft, status: 'ISSUED' }, issued);
    await invoices.finalize({ ...draft, status: 'ISSUED' }, issued);
    const withdrawn = {
      ...draft,
      status: 'CANCELLED' as const,
      cancelledAt: '2026-11-24T09:00:00.000Z',
      cancelReason: 'Withdrawn',
    };
    await invoices.cancel(withdrawn, cancelled);
    await invoices.cancel(withdrawn, cancelled);
    // Assess
    expect(await invoices.getByOrder('o1')).toMatchObject({
      status: 'CANCELLED',
      number: 1,
      cancelledAt: '2026-11-24T09:00:00.000Z',
      cancelReason: 'Withdrawn',
    });
    const { Items } = await cloud.doc.send(new ScanCommand({ TableName: table }));
    const outbox = (Items ?? [])
      .filter((i) => i['kind'] === 'outbox')
      .map((i) => i['event'].type)
      .sort();
    expect(outbox).toEqual(['InvoiceCancelled', 'InvoiceIssued']);
  });

  it("reads an order's invoice and its series' last number in one call, either or both absent", async () => {
    // Prepare
    const table = await cloud.newTable();
    const invoices = new DynamoDbInvoiceRepository(cloud.doc, table);
    // Act
    const before = await invoices.getByOrderWithLastNumber('o1', '1');
    await invoices.allocate(draft);
    const after = await invoices.getByOrderWithLastNumber('o1', '1');
    const other = await invoices.getByOrderWithLastNumber('o2', '1');
    // Assess
    expect(before).toEqual({});
    expect(after).toEqual({ invoice: draft, lastNumber: 1 });
    expect(other).toEqual({ lastNumber: 1 });
  });

  it('does not cancel an invoice that is still being issued', async () => {
    const table = await cloud.newTable();
    const invoices = new DynamoDbInvoiceRepository(cloud.doc, table);
    await invoices.allocate(draft);
    await invoices.cancel({ ...draft, status: 'CANCELLED', cancelReason: 'x', cancelledAt: 'y' }, cancelled);
    expect((await invoices.getByOrder('o1'))!.status).toBe('ISSUING');
  });

  it('keeps the first record of a withdrawal, however often it is delivered', async () => {
    const table = await cloud.newTable();
    const invoices = new DynamoDbInvoiceRepository(cloud.doc, table);
    const first = { orderId: 'o9', reason: 'Withdrawn', correlationId: 'c-1', causationId: 'e-1' };
    await invoices.recordWithdrawal(first);
    await invoices.recordWithdrawal({ ...first, causationId: 'e-2' });
    expect(await invoices.withdrawal('o9')).toEqual(first);
    expect(await invoices.withdrawal('o10')).toBeUndefined();
  });
});
