import { httpHandler, NotFoundError } from '@order-platform/lambda-kit';
import { InvoiceParams, type InvoiceView } from '@order-platform/contracts';
import { getInvoice, InvoiceNotFoundError } from '../application/get-invoice.use-case';
import { invoices, links } from '../composition';

/** `GET /invoices/{orderId}`: the invoice of an order (owner or admin), with short-lived document links. */
export const handler = httpHandler({ params: InvoiceParams, auth: 'any' }, async ({ params, principal }) => {
  try {
    const invoice = await getInvoice({ invoices: invoices(), links: links() }, params.orderId, {
      customerId: principal!.sub,
      isAdmin: principal!.groups.includes('admins'),
    });
    const { invoiceId, number, series, orderId, total, currency, issuedAt, pdfUrl, xmlUrl } = invoice;
    const { cancelledAt, cancelReason } = invoice;
    // An invoice still ISSUING is not there yet (getInvoice answers it as not found).
    const status = invoice.status as InvoiceView['status'];
    const body: InvoiceView = {
      invoiceId,
      status,
      number,
      series,
      orderId,
      total,
      currency,
      issuedAt,
      ...(cancelledAt ? { cancelledAt, cancelReason } : {}),
      pdfUrl,
      xmlUrl,
    };
    return { status: 200, body };
  } catch (error) {
    if (error instanceof InvoiceNotFoundError) throw new NotFoundError(error.message);
    throw error;
  }
});
