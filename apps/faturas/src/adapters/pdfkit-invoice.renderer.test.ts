import { pdfText, validateXml } from '@order-platform/testing/documents';
import { documentKeys, nfeXml, type Invoice } from '../domain/invoice';
import { PdfKitInvoiceRenderer } from './pdfkit-invoice.renderer';

const partnerInvoice: Invoice = {
  invoiceId: 'i',
  status: 'ISSUED',
  orderId: 'o1',
  customerId: 'partner:farmacia',
  items: [
    {
      productId: 'prod-cafe-500g',
      sku: 'CAFE-500G',
      name: 'Café torrado 500 g',
      quantity: 2,
      unitPrice: 2490,
    },
    { productId: 'prod-old', quantity: 1, unitPrice: 100 },
  ],
  buyer: { name: 'Farmácia Demo Ltda', taxId: '12345678000199', email: 'compras@farmacia.example.com' },
  deliveryAddress: {
    name: 'Loja 12',
    street: 'Rua das Flores',
    number: '120',
    district: 'Centro',
    city: 'Campinas',
    state: 'SP',
    postalCode: '13010-000',
  },
  series: '1',
  number: 12,
  total: 5080,
  currency: 'BRL',
  issuedAt: '2026-11-22T12:00:00.000Z',
  ...documentKeys('o1', '1', 12),
};

describe('PdfKitInvoiceRenderer', () => {
  it('prints per line the SKU and name as sold, quantity, unit price and total; the buyer and the address', async () => {
    // Act
    const pdf = await new PdfKitInvoiceRenderer().render(partnerInvoice);
    // Assess
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf).replace(/[ \t]+/g, ' ');
    expect(text).toContain('Fatura nº 12 — série 1');
    expect(text).toMatch(/CAFE-500G Café torrado 500 g 2 R\$ 24,90 R\$ 49,80/);
    expect(text).toMatch(/prod-old prod-old 1 R\$ 1,00 R\$ 1,00/);
    expect(text).toContain('Farmácia Demo Ltda');
    expect(text).toContain('CNPJ: 12345678000199');
    expect(text).toContain('Rua das Flores, 120');
    expect(text).toContain('Campinas/SP — CEP 13010-000');
    expect(text).toContain('Total: R$ 50,80');
  });
});

describe('nfeXml', () => {
  it('validates against the NF-e subset schema, for a partner and for a customer without address', () => {
    // Prepare
    const customer: Invoice = {
      ...partnerInvoice,
      buyer: { email: 'c1@example.com' },
      customerId: 'c1',
      deliveryAddress: undefined,
    };
    // Act
    const partnerXml = nfeXml(partnerInvoice);
    const customerXml = nfeXml(customer);
    // Assess
    expect(validateXml(partnerXml)).toEqual({ valid: true });
    expect(validateXml(customerXml)).toEqual({ valid: true });
    expect(partnerXml).toContain('<CNPJ>12345678000199</CNPJ><xNome>Farmácia Demo Ltda</xNome>');
    expect(partnerXml).toContain('<cProd>CAFE-500G</cProd><xProd>Café torrado 500 g</xProd>');
    expect(partnerXml).toContain('<entrega><xNome>Loja 12</xNome><xLgr>Rua das Flores</xLgr><nro>120</nro>');
    expect(partnerXml).toContain('<CEP>13010000</CEP>');
  });

  it('fails the schema when a required part is missing (the check can fail)', () => {
    // Act
    const broken = nfeXml(partnerInvoice).replace(/<nNF>12<\/nNF>/, '');
    // Assess
    expect(validateXml(broken).valid).toBe(false);
  });
});
