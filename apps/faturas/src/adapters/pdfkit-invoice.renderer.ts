import PDFDocument from 'pdfkit';
import { addressLines, type Invoice } from '../domain/invoice';
import type { PdfRenderer } from '../application/ports';

const brl = (cents: number) => `R$ ${(cents / 100).toFixed(2).replace('.', ',')}`;

/**
 * The invoice as a PDF: number and series, issue date and order; the buyer (legal name and CNPJ, or the
 * customer's e-mail) and the delivery address; per line the SKU and name as sold, quantity, unit price
 * and line total; and the total.
 */
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
      doc.text(`Emitida em: ${invoice.issuedAt}`);
      doc.moveDown(0.5);
      const buyer = invoice.buyer;
      doc.fontSize(11).text('Destinatário');
      doc.fontSize(10);
      if (buyer?.name) doc.text(buyer.name);
      if (buyer?.taxId) doc.text(`${buyer.taxId.length === 14 ? 'CNPJ' : 'CPF'}: ${buyer.taxId}`);
      doc.text(buyer?.email ?? invoice.customerEmail ?? invoice.customerId);
      if (invoice.deliveryAddress) {
        doc.moveDown(0.5).fontSize(11).text('Entrega');
        doc.fontSize(10);
        for (const line of addressLines(invoice.deliveryAddress)) doc.text(line);
      }
      doc.moveDown();
      const top = doc.y;
      const columns = { sku: 50, name: 140, qty: 330, unit: 380, total: 460 };
      doc.fontSize(9);
      doc.text('SKU', columns.sku, top).text('Produto', columns.name, top).text('Qtd.', columns.qty, top);
      doc.text('Unitário', columns.unit, top).text('Total', columns.total, top);
      doc.moveDown(0.3);
      for (const line of invoice.items) {
        const y = doc.y;
        doc.text(line.sku ?? line.productId, columns.sku, y, { width: 85 });
        const afterSku = doc.y;
        doc.text(line.name ?? line.productId, columns.name, y, { width: 185 });
        const afterName = doc.y;
        doc.text(String(line.quantity), columns.qty, y);
        doc.text(brl(line.unitPrice), columns.unit, y);
        doc.text(brl(line.unitPrice * line.quantity), columns.total, y);
        doc.y = Math.max(afterSku, afterName, doc.y) + 2;
      }
      doc.x = 50;
      doc
        .moveDown()
        .fontSize(12)
        .text(`Total: ${brl(invoice.total)}`, { align: 'right' });
      doc.end();
    });
  }
}
