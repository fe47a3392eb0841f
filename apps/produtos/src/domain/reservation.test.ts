import type { Product } from './product';
import { planReservation } from './reservation';

const product = (productId: string, onHand: number, reserved: number, price = 1000): Product => ({
  productId,
  sku: productId.toUpperCase(),
  name: `Produto ${productId}`,
  description: '',
  price,
  currency: 'BRL',
  stock: { onHand, reserved },
  updatedAt: '',
});
const catalog = new Map([
  ['a', product('a', 10, 4, 250)],
  ['b', product('b', 3, 0, 990)],
]);

describe('planReservation', () => {
  it('reserves every line at the catalog price, with the SKU and name as sold, when all are available', () => {
    expect(
      planReservation(
        [
          { productId: 'a', quantity: 6 },
          { productId: 'b', quantity: 3 },
        ],
        catalog,
      ),
    ).toEqual({
      ok: true,
      // Both lines take what is left: nothing remains available after them.
      items: [
        { productId: 'a', quantity: 6, unitPrice: 250, sku: 'A', name: 'Produto a', availableAfter: 0 },
        { productId: 'b', quantity: 3, unitPrice: 990, sku: 'B', name: 'Produto b', availableAfter: 0 },
      ],
    });
  });

  it('refuses the whole order and names each line it cannot serve, unknown products included', () => {
    expect(
      planReservation(
        [
          { productId: 'a', quantity: 7 },
          { productId: 'b', quantity: 1 },
          { productId: 'zzz', quantity: 1 },
        ],
        catalog,
      ),
    ).toEqual({
      ok: false,
      unavailable: [
        { productId: 'a', requested: 7, available: 6 },
        { productId: 'zzz', requested: 1, available: 0 },
      ],
    });
  });
});
