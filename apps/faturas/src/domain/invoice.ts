/** An issued invoice (fatura): numbered in a gap-free sequence per series, with its PDF and NF-e style XML. */
export interface Invoice {
  invoiceId: string;
  orderId: string;
  customerId: string;
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
