import { productIdOf } from '@order-platform/contracts';
import { DEMO_PARTNER, DEMO_PRODUCTS, DEMO_USERS } from './demo-data';

describe('the demo data', () => {
  it('names each product by the id the catalog API gives its SKU, so the seed and the README agree', () => {
    for (const p of DEMO_PRODUCTS) expect(p.productId).toBe(productIdOf(p.sku));
  });

  it('has a customer, a second customer and an admin, and a partner with a valid CNPJ length', () => {
    expect(DEMO_USERS.map((u) => [u.name, u.groups])).toEqual([
      ['customer', ['customers']],
      ['customer2', ['customers']],
      ['admin', ['admins']],
    ]);
    expect(DEMO_PARTNER.billing.taxId).toMatch(/^\d{14}$/);
  });
});
