import { httpHandler, NotFoundError } from '@order-platform/lambda-kit';
import { InvoiceParams } from '@order-platform/contracts';
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
    const { status, cancelledAt, cancelReason } = invoice;
    return {
      status: 200,
      body: {
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
      },
    };
  } catch (error) {
    if (error instanceof InvoiceNotFoundError) throw new NotFoundError(error.message);
    throw error;
  }
});
