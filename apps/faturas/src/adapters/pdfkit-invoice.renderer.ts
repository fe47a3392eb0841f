import PDFDocument from 'pdfkit';
import type { Invoice } from '../domain/invoice';
import type { PdfRenderer } from '../application/ports';

const brl = (cents: number) => `R$ ${(cents / 100).toFixed(2).replace('.', ',')}`;

/** The invoice as a one-page PDF: number and series, order, customer, issue date, lines and total. */
export class PdfKitInvoiceRenderer implements PdfRenderer {
  render(invoice: Invoice): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const doc = new PDFDocument({
        size: 'A4',
        margin: 50,
        info: { Title: `Fatura ${invoice.series}-${invoice.number}` },
      });
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
      doc.fontSize(20).text(`Fatura nº ${invoice.number} — série ${invoice.series}`);
      doc.moveDown(0.5).fontSize(10);
      doc.text(`Pedido: ${invoice.orderId}`);
      doc.text(`Cliente: ${invoice.customerEmail ?? invoice.customerId}`);
      doc.text(`Emitida em: ${invoice.issuedAt}`);
      doc.moveDown();
      doc.fontSize(11).text('Produto', 50, doc.y, { continued: true, width: 250 });
      doc.text('Qtd.   Unitário   Total', { align: 'right' });
      doc.moveDown(0.3).fontSize(10);
      for (const line of invoice.items) {
        doc.text(line.productId, 50, doc.y, { continued: true, width: 250 });
        doc.text(`${line.quantity}   ${brl(line.unitPrice)}   ${brl(line.unitPrice * line.quantity)}`, {
          align: 'right',
        });
      }
      doc
        .moveDown()
        .fontSize(12)
        .text(`Total: ${brl(invoice.total)}`, { align: 'right' });
      doc.end();
    });
  }
}
