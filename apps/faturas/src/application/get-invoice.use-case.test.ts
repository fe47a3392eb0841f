import { documentKeys, type Invoice } from '../domain/invoice';
import { getInvoice, InvoiceNotFoundError } from './get-invoice.use-case';

const invoice: Invoice = {
  invoiceId: 'inv-1',
  status: 'ISSUED',
  orderId: 'o1',
  customerId: 'c1',
  items: [{ productId: 'p', quantity: 1, unitPrice: 4980 }],
  series: '1',
  number: 42,
  total: 4980,
  currency: 'BRL',
  issuedAt: '2026-11-22T12:00:00.000Z',
  ...documentKeys('o1', '1', 42),
};
const deps = {
  invoices: { getByOrder: async (id: string) => (id === 'o1' ? invoice : undefined) },
  links: { downloadUrl: async (key: string, name: string) => `signed://${key}?name=${name}` },
};

describe('getInvoice', () => {
  it('gives the owner the invoice with signed links to both documents', async () => {
    // Act
    const result = await getInvoice(deps, 'o1', { customerId: 'c1', isAdmin: false });
    // Assess
    expect(result.number).toBe(42);
    expect(result.pdfUrl).toBe('signed://invoices/1/000000042-o1.pdf?name=fatura-1-42.pdf');
    expect(result.xmlUrl).toBe('signed://invoices/1/000000042-o1.xml?name=nfe-1-42.xml');
  });

  it("hides another customer's invoice and a missing one alike, and shows admins any", async () => {
    await expect(getInvoice(deps, 'o1', { customerId: 'c2', isAdmin: false })).rejects.toThrow(
      InvoiceNotFoundError,
    );
    await expect(getInvoice(deps, 'o2', { customerId: 'c1', isAdmin: false })).rejects.toThrow(
      InvoiceNotFoundError,
    );
    await expect(getInvoice(deps, 'o1', { customerId: 'a', isAdmin: true })).resolves.toMatchObject({
      orderId: 'o1',
    });
  });

  it('shows a cancelled invoice with its status, and none while it is being issued', async () => {
    // Prepare
    const withStatus = (status: Invoice['status']) => ({
      ...deps,
      invoices: { getByOrder: async () => ({ ...invoice, status }) },
    });
    // Act + Assess
    await expect(
      getInvoice(withStatus('CANCELLED'), 'o1', { customerId: 'c1', isAdmin: false }),
    ).resolves.toMatchObject({ status: 'CANCELLED', number: 42 });
    await expect(
      getInvoice(withStatus('ISSUING'), 'o1', { customerId: 'c1', isAdmin: false }),
    ).rejects.toThrow(InvoiceNotFoundError);
  });
});
