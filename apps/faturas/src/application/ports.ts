import type { InvoiceCancelledV1, InvoiceIssuedV1 } from '@order-platform/contracts';
import type { Invoice } from '../domain/invoice';

export interface InvoiceRepository {
  getByOrder(orderId: string): Promise<Invoice | undefined>;
}

/** Short-lived download links for invoice documents. */
export interface DocumentLinks {
  downloadUrl(key: string, fileName: string): Promise<string>;
}

/** A withdrawal from a completed order, as faturas keeps it until the invoice it cancels exists. */
export interface Withdrawal {
  orderId: string;
  reason: string;
  correlationId: string;
  causationId: string;
}

export type AllocateOutcome =
  { allocated: true } | { allocated: false; reason: 'series-moved' | 'invoice-exists' };

/** Invoices and their number series: allocation and finalisation are each one transaction. */
export interface InvoiceStore extends InvoiceRepository {
  lastNumber(series: string): Promise<number | undefined>;
  /** The order's invoice and the last number of `series`, read together (strongly consistent). */
  getByOrderWithLastNumber(
    orderId: string,
    series: string,
  ): Promise<{ invoice?: Invoice; lastNumber?: number }>;
  /** Takes `invoice.number` in its series (on condition the series is still at `number - 1`) and records the invoice as ISSUING. */
  allocate(invoice: Invoice): Promise<AllocateOutcome>;
  /** ISSUING → ISSUED together with its InvoiceIssued event. */
  finalize(invoice: Invoice, event: InvoiceIssuedV1): Promise<void>;
  /** ISSUED → CANCELLED (with when and why) together with its InvoiceCancelled event; a repeat changes nothing. */
  cancel(invoice: Invoice, event: InvoiceCancelledV1): Promise<void>;
  /** Records that the customer withdrew from the order (idempotent), whether or not its invoice exists yet. */
  recordWithdrawal(withdrawal: Withdrawal): Promise<void>;
  withdrawal(orderId: string): Promise<Withdrawal | undefined>;
}

/** Stores invoice documents (S3, Intelligent-Tiering). */
export interface DocumentStore {
  put(key: string, body: Buffer | string, contentType: string): Promise<void>;
}

export interface PdfRenderer {
  render(invoice: Invoice): Promise<Buffer>;
}

export interface InvoiceMailer {
  sendOnce(
    key: string,
    message: { to: string; subject: string; text: string },
  ): Promise<'sent' | 'duplicate'>;
}
