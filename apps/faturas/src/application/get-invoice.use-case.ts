import type { Invoice } from '../domain/invoice';
import type { DocumentLinks, InvoiceRepository } from './ports';

export class InvoiceNotFoundError extends Error {
  constructor(readonly orderId: string) {
    super(`No invoice for order ${orderId}`);
    this.name = 'InvoiceNotFoundError';
  }
}

export interface InvoiceWithLinks extends Invoice {
  pdfUrl: string;
  xmlUrl: string;
}

/**
 * The invoice of an order for its owner or an admin:
 * 1. reads the invoice by order id (none yet, or someone else's: not found); a cancelled one is shown with
 *    its status, when and why (its documents stay readable, as a cancelled NF-e does);
 * 2. signs short-lived links to its PDF and XML.
 */
export async function getInvoice(
  deps: { invoices: InvoiceRepository; links: DocumentLinks },
  orderId: string,
  viewer: { customerId: string; isAdmin: boolean },
): Promise<InvoiceWithLinks> {
  const invoice = await deps.invoices.getByOrder(orderId);
  if (
    !invoice ||
    invoice.status === 'ISSUING' ||
    (!viewer.isAdmin && invoice.customerId !== viewer.customerId)
  )
    throw new InvoiceNotFoundError(orderId);
  const [pdfUrl, xmlUrl] = await Promise.all([
    deps.links.downloadUrl(invoice.pdfKey, `fatura-${invoice.series}-${invoice.number}.pdf`),
    deps.links.downloadUrl(invoice.xmlKey, `nfe-${invoice.series}-${invoice.number}.xml`),
  ]);
  return { ...invoice, pdfUrl, xmlUrl };
}
