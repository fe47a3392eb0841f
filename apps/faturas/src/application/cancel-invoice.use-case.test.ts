import { newEvent } from '@order-platform/contracts';
import { anEvent } from '@order-platform/testing';
import { documentKeys, type Invoice } from '../domain/invoice';
import { cancelInvoice } from './cancel-invoice.use-case';
import { issueInvoice } from './issue-invoice.use-case';
import { InMemoryInvoices } from './testing/in-memory-invoices';

const cancelled = (orderId: string, afterCompletion?: boolean) =>
  newEvent(
    'OrderCancelled',
    'pedidos',
    {
      orderId,
      customerId: 'c1',
      reason: 'Withdrawn by the customer after completion',
      stockReserved: true,
      items: [{ productId: 'p1', quantity: 1 }],
      ...(afterCompletion ? { afterCompletion } : {}),
    },
    { correlationId: `corr-${orderId}` },
  );

const invoice = (orderId: string, status: Invoice['status']): Invoice => ({
  invoiceId: `inv-${orderId}`,
  status,
  orderId,
  customerId: 'c1',
  items: [{ productId: 'p1', quantity: 1, unitPrice: 1000 }],
  series: '1',
  number: 7,
  total: 1000,
  currency: 'BRL',
  issuedAt: '2026-11-22T12:00:00.000Z',
  ...documentKeys(orderId, '1', 7),
});

const completedEvent = (orderId: string) =>
  anEvent('OrderCompleted', { correlationId: `corr-${orderId}`, data: { orderId, customerId: 'c1' } });

function deps(...invoices: Invoice[]) {
  const store = new InMemoryInvoices();
  for (const i of invoices) store.invoices.set(i.orderId, i);
  return { invoices: store, now: () => new Date('2026-11-23T09:00:00.000Z') };
}

describe('cancelInvoice', () => {
  it('cancels the issued invoice of a withdrawn order once, keeping its number, with InvoiceCancelled', async () => {
    // Prepare
    const d = deps(invoice('o1', 'ISSUED'));
    // Act
    await cancelInvoice(d, cancelled('o1', true));
    await cancelInvoice(d, cancelled('o1', true));
    // Assess
    expect(d.invoices.invoices.get('o1')).toMatchObject({
      status: 'CANCELLED',
      number: 7,
      cancelledAt: '2026-11-23T09:00:00.000Z',
      cancelReason: 'Withdrawn by the customer after completion',
    });
    expect(d.invoices.events).toHaveLength(1);
    expect(d.invoices.events[0]).toMatchObject({
      type: 'InvoiceCancelled',
      correlationId: 'corr-o1',
      data: { orderId: 'o1', invoiceId: 'inv-o1', series: '1', number: 7 },
    });
  });

  it('cancels the invoice of a withdrawal that came before the invoice, as soon as it is issued, and mails nothing', async () => {
    // Prepare: the withdrawal arrives while the invoice is still being issued (ISSUING), then the issue ends.
    const d = deps(invoice('o2', 'ISSUING'));
    const mails: string[] = [];
    // Act
    const early = await cancelInvoice(d, cancelled('o2', true));
    const issued = await issueInvoice(
      {
        ...d,
        documents: { put: async () => undefined },
        pdf: { render: async () => Buffer.from('%PDF') },
        invoiceUrl: (orderId) => `https://api.example/invoices/${orderId}`,
        mailer: { sendOnce: async (key) => (mails.push(key), 'sent') },
        newId: () => 'unused',
      },
      completedEvent('o2'),
    );
    // Assess
    expect(early).toBeUndefined();
    expect(issued).toMatchObject({
      status: 'CANCELLED',
      number: 7,
      cancelReason: 'Withdrawn by the customer after completion',
    });
    expect(d.invoices.events.map((e) => e.type)).toEqual(['InvoiceIssued', 'InvoiceCancelled']);
    expect(d.invoices.events[1]).toMatchObject({ correlationId: 'corr-o2' });
    expect(mails).toEqual([]);
  });

  it('leaves invoices alone for an order cancelled before it completed', async () => {
    // Prepare
    const d = deps(invoice('o1', 'ISSUED'));
    // Act
    const result = await cancelInvoice(d, cancelled('o1'));
    // Assess
    expect(result).toBeUndefined();
    expect(d.invoices.invoices.get('o1')!.status).toBe('ISSUED');
  });
});
