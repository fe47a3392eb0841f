import type { Invoice } from '../domain/invoice';

export interface InvoiceRepository {
  getByOrder(orderId: string): Promise<Invoice | undefined>;
}

/** Short-lived download links for invoice documents. */
export interface DocumentLinks {
  downloadUrl(key: string, fileName: string): Promise<string>;
}
