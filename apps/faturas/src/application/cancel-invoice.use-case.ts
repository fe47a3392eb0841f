import { newEvent, type OrderCancelledV1 } from '@order-platform/contracts';
import type { Invoice } from '../domain/invoice';
import type { InvoiceStore } from './ports';

export class InvoiceNotYetIssuedError extends Error {
  constructor(readonly orderId: string) {
    super(`The invoice of withdrawn order ${orderId} is not issued yet: its cancellation waits for it`);
    this.name = 'InvoiceNotYetIssuedError';
  }
}

/**
 * Cancels the invoice of an order the customer withdrew from after completion:
 * 1. an OrderCancelled before completion concerns no invoice: nothing to do;
 * 2. an invoice not issued yet (OrderCompleted still on its way, or its issue being retried) throws, so the
 *    message returns and the cancellation is applied once the invoice exists (never lost, never early);
 * 3. ISSUED → CANCELLED with InvoiceCancelled, in one write; its number stays taken (gap-free series);
 * 4. a second delivery finds it CANCELLED and changes nothing.
 */
export async function cancelInvoice(
  deps: { invoices: InvoiceStore; now: () => Date },
  event: OrderCancelledV1,
): Promise<Invoice | undefined> {
  if (!event.data.afterCompletion) return undefined;
  const { orderId } = event.data;
  const invoice = await deps.invoices.getByOrder(orderId);
  if (!invoice || invoice.status === 'ISSUING') throw new InvoiceNotYetIssuedError(orderId);
  if (invoice.status === 'CANCELLED') return invoice;
  const cancelled: Invoice = {
    ...invoice,
    status: 'CANCELLED',
    cancelledAt: deps.now().toISOString(),
    cancelReason: event.data.reason,
  };
  await deps.invoices.cancel(
    cancelled,
    newEvent(
      'InvoiceCancelled',
      'faturas',
      {
        invoiceId: invoice.invoiceId,
        orderId,
        customerId: invoice.customerId,
        series: invoice.series,
        number: invoice.number,
        reason: event.data.reason,
      },
      { correlationId: event.correlationId, causationId: event.id },
    ),
  );
  return cancelled;
}
