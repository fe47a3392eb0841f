import { newEvent, type OrderCancelledV1 } from '@order-platform/contracts';
import type { Invoice } from '../domain/invoice';
import type { InvoiceStore, Withdrawal } from './ports';

/**
 * Cancels the invoice of an order the customer withdrew from after completion:
 * 1. an OrderCancelled before completion concerns no invoice: nothing to do;
 * 2. records the withdrawal first (idempotent), then reads the invoice;
 * 3. ISSUED → CANCELLED with InvoiceCancelled, in one write; its number stays taken (gap-free series);
 * 4. not issued yet (OrderCompleted still on its way, or its issue being retried): nothing more here — the
 *    issue reads the withdrawal after it finalizes and cancels then. Each side writes before it reads the
 *    other's write, so one of them always sees both: never lost, never early, whatever the timing;
 * 5. a second delivery finds it CANCELLED and changes nothing.
 */
export async function cancelInvoice(
  deps: { invoices: InvoiceStore; now: () => Date },
  event: OrderCancelledV1,
): Promise<Invoice | undefined> {
  if (!event.data.afterCompletion) return undefined;
  const withdrawal: Withdrawal = {
    orderId: event.data.orderId,
    reason: event.data.reason,
    correlationId: event.correlationId,
    causationId: event.id,
  };
  await deps.invoices.recordWithdrawal(withdrawal);
  const invoice = await deps.invoices.getByOrder(withdrawal.orderId);
  if (!invoice || invoice.status === 'ISSUING') return undefined;
  return applyWithdrawal(deps, invoice, withdrawal);
}

/** An issued invoice of a withdrawn order becomes CANCELLED with InvoiceCancelled; anything else is left. */
export async function applyWithdrawal(
  deps: { invoices: InvoiceStore; now: () => Date },
  invoice: Invoice,
  withdrawal: Withdrawal,
): Promise<Invoice> {
  if (invoice.status !== 'ISSUED') return invoice;
  const cancelled: Invoice = {
    ...invoice,
    status: 'CANCELLED',
    cancelledAt: deps.now().toISOString(),
    cancelReason: withdrawal.reason,
  };
  await deps.invoices.cancel(
    cancelled,
    newEvent(
      'InvoiceCancelled',
      'faturas',
      {
        invoiceId: invoice.invoiceId,
        orderId: invoice.orderId,
        customerId: invoice.customerId,
        series: invoice.series,
        number: invoice.number,
        reason: withdrawal.reason,
      },
      { correlationId: withdrawal.correlationId, causationId: withdrawal.causationId },
    ),
  );
  return cancelled;
}
