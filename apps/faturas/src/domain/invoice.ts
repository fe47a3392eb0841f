import type { Buyer, DeliveryAddress } from '@order-platform/contracts';

/** An issued invoice (fatura): numbered in a gap-free sequence per series, with its PDF and NF-e style XML. */
export interface InvoiceLine {
  productId: string;
  quantity: number;
  unitPrice: number;
  /** The product's SKU and name as sold (older orders may lack them: the id stands in). */
  sku?: string;
  name?: string;
}

/** The delivery address and the buyer, in the shapes the events carry them. */
export type InvoiceAddress = DeliveryAddress;
export type InvoiceBuyer = Buyer;

/** ISSUING while its number is taken and its documents made; ISSUED; CANCELLED when its order is withdrawn from. */
export type InvoiceStatus = 'ISSUING' | 'ISSUED' | 'CANCELLED';

export interface Invoice {
  invoiceId: string;
  status: InvoiceStatus;
  orderId: string;
  customerId: string;
  customerEmail?: string;
  items: InvoiceLine[];
  buyer?: InvoiceBuyer;
  deliveryAddress?: InvoiceAddress;
  series: string;
  number: number;
  total: number;
  currency: 'BRL';
  issuedAt: string;
  pdfKey: string;
  xmlKey: string;
  cancelledAt?: string;
  cancelReason?: string;
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

/** One line of an address, as printed: street, number, complement, district, city/UF, CEP. */
export function addressLines(a: InvoiceAddress): string[] {
  return [
    a.name,
    [a.street, a.number].filter(Boolean).join(', '),
    [a.complement, a.district].filter(Boolean).join(' — '),
    `${a.city}/${a.state}${a.postalCode ? ` — CEP ${a.postalCode}` : ''}`,
  ].filter((l): l is string => Boolean(l));
}

const el = (name: string, value: string | number | undefined) =>
  value === undefined || value === '' ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;

/**
 * An NF-e style XML document of the invoice, following the layout of the Brazilian electronic invoice
 * (NF-e 4.00: `ide`, `dest` with `enderDest`, `entrega`, `det`/`prod` per line, `total/ICMSTot`) in the
 * subset `nfe-subset.xsd` describes. Not signed and not sent to SEFAZ: a document for the customer and for
 * archiving.
 */
export function nfeXml(invoice: Invoice): string {
  const lines = invoice.items
    .map(
      (item, i) =>
        `    <det nItem="${i + 1}"><prod>${el('cProd', item.sku ?? item.productId)}${el('xProd', item.name ?? item.productId)}` +
        `${el('qCom', item.quantity)}${el('vUnCom', money(item.unitPrice))}${el('vProd', money(item.unitPrice * item.quantity))}</prod></det>`,
    )
    .join('\n');
  const buyer = invoice.buyer ?? {};
  const taxId = buyer.taxId
    ? buyer.taxId.length === 14
      ? el('CNPJ', buyer.taxId)
      : el('CPF', buyer.taxId)
    : el('idEstrangeiro', invoice.customerId);
  const address = (tag: string, a: InvoiceAddress | undefined) =>
    a
      ? `<${tag}>${el('xNome', a.name)}${el('xLgr', a.street)}${el('nro', a.number)}${el('xCpl', a.complement)}` +
        `${el('xBairro', a.district)}${el('xMun', a.city)}${el('UF', a.state)}${el('CEP', a.postalCode?.replace('-', ''))}` +
        `${el('fone', a.phone)}</${tag}>`
      : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<NFe xmlns="http://www.portalfiscal.inf.br/nfe">',
    `  <infNFe Id="NFe${escapeXml(invoice.series)}-${invoice.number}" versao="4.00">`,
    `    <ide><serie>${escapeXml(invoice.series)}</serie><nNF>${invoice.number}</nNF><dhEmi>${invoice.issuedAt}</dhEmi><xPed>${escapeXml(invoice.orderId)}</xPed></ide>`,
    `    <dest>${taxId}${el('xNome', buyer.name)}${el('email', buyer.email ?? invoice.customerEmail)}</dest>`,
    ...(invoice.deliveryAddress ? [`    ${address('entrega', invoice.deliveryAddress)}`] : []),
    lines,
    `    <total><ICMSTot><vProd>${money(invoice.total)}</vProd><vNF>${money(invoice.total)}</vNF></ICMSTot></total>`,
    '  </infNFe>',
    '</NFe>',
    '',
  ].join('\n');
}
