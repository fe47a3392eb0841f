import { newEvent, type OrderCompletedV1 } from '@order-platform/contracts';
import { DEFAULT_SERIES, documentKeys, nextNumber, nfeXml, type Invoice } from '../domain/invoice';
import { applyWithdrawal } from './cancel-invoice.use-case';
import type { DocumentStore, InvoiceMailer, InvoiceStore, PdfRenderer } from './ports';

export interface IssueInvoiceDeps {
  invoices: InvoiceStore;
  documents: DocumentStore;
  pdf: PdfRenderer;
  /** Where the customer reads the invoice: the authenticated API's resource (never a bearer link). */
  invoiceUrl: (orderId: string) => string;
  mailer: InvoiceMailer;
  now: () => Date;
  newId: () => string;
}

const MAX_ATTEMPTS = 10;

/**
 * Issues the one invoice of a completed order:
 * 1. reads the order's invoice and the series' last number together; an ISSUED invoice for the order means
 *    it was done: only steps 5-6 may be owed;
 * 2. otherwise takes the next number of the series and records the invoice as ISSUING, in one transaction
 *    conditioned on the series not having moved (gap-free; a lost race re-reads and tries again);
 * 3. renders the PDF and the NF-e XML and stores both (same keys on a retry);
 * 4. marks the invoice ISSUED together with InvoiceIssued;
 * 5. a withdrawal recorded meanwhile cancels the invoice instead of mailing it (see cancel-invoice);
 * 6. e-mails the customer where to read the invoice, effectively once; a failed mail fails the message,
 *    whose retry finds the invoice ISSUED and sends only the mail.
 */
export async function issueInvoice(deps: IssueInvoiceDeps, event: OrderCompletedV1): Promise<Invoice> {
  const { orderId } = event.data;
  // One read for the common case: the order's invoice (none yet) and where the series stands.
  const first = await deps.invoices.getByOrderWithLastNumber(orderId, DEFAULT_SERIES);
  let invoice = first.invoice;
  // Issued by an earlier delivery: only the mail may still be owed (its failure retried the message).
  if (invoice?.status === 'ISSUED') return settle(deps, invoice);

  for (let attempt = 0; !invoice && attempt < MAX_ATTEMPTS; attempt++) {
    const last = attempt === 0 ? first.lastNumber : await deps.invoices.lastNumber(DEFAULT_SERIES);
    const number = nextNumber(last);
    const draft: Invoice = {
      invoiceId: deps.newId(),
      status: 'ISSUING',
      orderId,
      customerId: event.data.customerId,
      customerEmail: event.data.customerEmail,
      items: event.data.items,
      ...(event.data.buyer ? { buyer: event.data.buyer } : {}),
      ...(event.data.deliveryAddress ? { deliveryAddress: event.data.deliveryAddress } : {}),
      series: DEFAULT_SERIES,
      number,
      total: event.data.total,
      currency: 'BRL',
      issuedAt: deps.now().toISOString(),
      ...documentKeys(orderId, DEFAULT_SERIES, number),
    };
    const outcome = await deps.invoices.allocate(draft);
    if (outcome.allocated) invoice = draft;
    else if (outcome.reason === 'invoice-exists') invoice = await deps.invoices.getByOrder(orderId);
  }
  if (!invoice) throw new Error(`No invoice number could be taken for order ${orderId}`);
  if (invoice.status === 'ISSUED') return settle(deps, invoice);

  await deps.documents.put(invoice.pdfKey, await deps.pdf.render(invoice), 'application/pdf');
  await deps.documents.put(invoice.xmlKey, nfeXml(invoice), 'application/xml');
  const issued: Invoice = { ...invoice, status: 'ISSUED' };
  await deps.invoices.finalize(
    issued,
    newEvent(
      'InvoiceIssued',
      'faturas',
      {
        invoiceId: issued.invoiceId,
        orderId,
        customerId: issued.customerId,
        series: issued.series,
        number: issued.number,
        total: issued.total,
        pdfKey: issued.pdfKey,
        xmlKey: issued.xmlKey,
      },
      { correlationId: event.correlationId, causationId: event.id },
    ),
  );
  return settle(deps, issued);
}

/**
 * After the invoice is ISSUED: a withdrawal recorded meanwhile cancels it (read after the invoice was written,
 * so a withdrawal that read it as not yet issued is seen here); otherwise the customer is mailed.
 */
async function settle(deps: IssueInvoiceDeps, issued: Invoice): Promise<Invoice> {
  const withdrawal = await deps.invoices.withdrawal(issued.orderId);
  if (withdrawal) return applyWithdrawal(deps, issued, withdrawal);
  return mailInvoice(deps, issued);
}

/**
 * E-mails the customer where to read an issued invoice, effectively once per invoice. The mail carries the
 * authenticated API's address of the invoice, not a download link: a forwarded or leaked mail opens nothing
 * without the customer's sign-in, and the API signs 5-minute document links for whoever may see them.
 */
async function mailInvoice(deps: IssueInvoiceDeps, issued: Invoice): Promise<Invoice> {
  if (!issued.customerEmail) return issued;
  await deps.mailer.sendOnce(`invoice-${issued.invoiceId}`, {
    to: issued.customerEmail,
    subject: `Fatura ${issued.series}-${issued.number} do pedido ${issued.orderId}`,
    text:
      `Sua fatura nº ${issued.number} (série ${issued.series}) foi emitida. ` +
      `Consulte-a, com o PDF e o XML, entrando na sua conta:\n${deps.invoiceUrl(issued.orderId)}`,
  });
  return issued;
}
