import { documentKeys } from '../domain/invoice';
import { PdfKitInvoiceRenderer } from './pdfkit-invoice.renderer';

describe('PdfKitInvoiceRenderer', () => {
  it('renders a PDF document', async () => {
    // Act
    const pdf = await new PdfKitInvoiceRenderer().render({
      invoiceId: 'i',
      status: 'ISSUED',
      orderId: 'o1',
      customerId: 'c1',
      customerEmail: 'c1@example.com',
      items: [{ productId: 'prod-cafe-500g', quantity: 2, unitPrice: 2490 }],
      series: '1',
      number: 12,
      total: 4980,
      currency: 'BRL',
      issuedAt: '2026-11-22T12:00:00.000Z',
      ...documentKeys('o1', '1', 12),
    });
    // Assess
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toContain('%%EOF');
    expect(pdf.length).toBeGreaterThan(1000);
  });
});
