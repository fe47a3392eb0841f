/** An issued invoice (fatura): numbered in a gap-free sequence per series, with its PDF and NF-e style XML. */
export interface InvoiceLine {
  productId: string;
  quantity: number;
  unitPrice: number;
}

export type InvoiceStatus = 'ISSUING' | 'ISSUED';

export interface Invoice {
  invoiceId: string;
  status: InvoiceStatus;
  orderId: string;
  customerId: string;
  customerEmail?: string;
  items: InvoiceLine[];
  series: string;
  number: number;
  total: number;
  currency: 'BRL';
  issuedAt: string;
  pdfKey: string;
  xmlKey: string;
}

/** Object keys of an invoice's documents in the invoices bucket. */
export function documentKeys(
  orderId: string,
  series: string,
  number: number,
): { pdfKey: string; xmlKey: string } {
  const base = `invoices/${series}/${String(number).padStart(9, '0')}-${orderId}`;
  return { pdfKey: `${base}.pdf`, xmlKey: `${base}.xml` };
}

/** The series every invoice is numbered in, until more series (per branch, per channel) are needed. */
export const DEFAULT_SERIES = '1';

/** Gap-free numbering: the next number follows the last one issued in the series, starting at 1. */
export function nextNumber(last: number | undefined): number {
  return (last ?? 0) + 1;
}

const escapeXml = (s: string) =>
  s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
const money = (cents: number) => (cents / 100).toFixed(2);

/**
 * An NF-e style XML document of the invoice (the layout of the Brazilian electronic invoice: ide, dest,
 * det per line, total). Not signed and not sent to SEFAZ: a document for the customer and for archiving.
 */
export function nfeXml(invoice: Invoice): string {
  const lines = invoice.items
    .map(
      (item, i) =>
        `    <det nItem="${i + 1}"><prod><cProd>${escapeXml(item.productId)}</cProd><qCom>${item.quantity}</qCom>` +
        `<vUnCom>${money(item.unitPrice)}</vUnCom><vProd>${money(item.unitPrice * item.quantity)}</vProd></prod></det>`,
    )
    .join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<NFe xmlns="http://www.portalfiscal.inf.br/nfe">',
    `  <infNFe Id="NFe${escapeXml(invoice.series)}-${invoice.number}" versao="4.00">`,
    `    <ide><serie>${escapeXml(invoice.series)}</serie><nNF>${invoice.number}</nNF><dhEmi>${invoice.issuedAt}</dhEmi><xPed>${escapeXml(invoice.orderId)}</xPed></ide>`,
    `    <dest><idEstrangeiro>${escapeXml(invoice.customerId)}</idEstrangeiro>${invoice.customerEmail ? `<email>${escapeXml(invoice.customerEmail)}</email>` : ''}</dest>`,
    lines,
    `    <total><ICMSTot><vProd>${money(invoice.total)}</vProd><vNF>${money(invoice.total)}</vNF></ICMSTot></total>`,
    '  </infNFe>',
    '</NFe>',
    '',
  ].join('\n');
}
