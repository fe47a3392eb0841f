import type { InvoiceCancelledV1, InvoiceIssuedV1 } from '@order-platform/contracts';
import type { Invoice } from '../../domain/invoice';
import type { AllocateOutcome, InvoiceStore, Withdrawal } from '../ports';

/** In-memory store with the DynamoDB adapter's conditions (series at number - 1, one invoice per order). */
export class InMemoryInvoices implements InvoiceStore {
  invoices = new Map<string, Invoice>();
  series = new Map<string, number>();
  events: (InvoiceIssuedV1 | InvoiceCancelledV1)[] = [];
  async getByOrder(orderId: string) {
    return this.invoices.get(orderId);
  }
  async lastNumber(series: string) {
    return this.series.get(series);
  }
  async getByOrderWithLastNumber(orderId: string, series: string) {
    const invoice = this.invoices.get(orderId);
    const lastNumber = this.series.get(series);
    return {
      ...(invoice ? { invoice } : {}),
      ...(lastNumber !== undefined ? { lastNumber } : {}),
    };
  }
  async allocate(invoice: Invoice): Promise<AllocateOutcome> {
    if ((this.series.get(invoice.series) ?? 0) !== invoice.number - 1)
      return { allocated: false, reason: 'series-moved' };
    if (this.invoices.has(invoice.orderId)) return { allocated: false, reason: 'invoice-exists' };
    this.series.set(invoice.series, invoice.number);
    this.invoices.set(invoice.orderId, invoice);
    return { allocated: true };
  }
  async finalize(invoice: Invoice, event: InvoiceIssuedV1) {
    if (this.invoices.get(invoice.orderId)?.status === 'ISSUED') return;
    this.invoices.set(invoice.orderId, invoice);
    this.events.push(event);
  }
  async cancel(invoice: Invoice, event: InvoiceCancelledV1) {
    if (this.invoices.get(invoice.orderId)?.status !== 'ISSUED') return;
    this.invoices.set(invoice.orderId, invoice);
    this.events.push(event);
  }
  withdrawals = new Map<string, Withdrawal>();
  async recordWithdrawal(withdrawal: Withdrawal) {
    if (!this.withdrawals.has(withdrawal.orderId)) this.withdrawals.set(withdrawal.orderId, withdrawal);
  }
  async withdrawal(orderId: string) {
    return this.withdrawals.get(orderId);
  }
}
