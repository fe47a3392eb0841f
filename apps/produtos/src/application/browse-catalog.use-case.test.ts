import { available, type Product } from '../domain/product';
import { getProduct, listProducts, ProductNotFoundError } from './browse-catalog.use-case';
import type { ProductRepository } from './ports';

const product = (id: string, onHand: number, reserved: number): Product => ({
  productId: id,
  sku: id.toUpperCase(),
  name: id,
  description: '',
  price: 1000,
  currency: 'BRL',
  stock: { onHand, reserved },
  updatedAt: '2026-11-22T12:00:00.000Z',
});

class InMemoryProducts implements ProductRepository {
  constructor(private readonly all: Product[]) {}
  async get(id: string) {
    return this.all.find((p) => p.productId === id);
  }
  async list(limit: number, nextToken?: string) {
    const start = nextToken ? Number(nextToken) : 0;
    const items = this.all.slice(start, start + limit);
    return { items, nextToken: start + limit < this.all.length ? String(start + limit) : undefined };
  }
}

describe('catalog', () => {
  it('pages through every product exactly once', async () => {
    // Prepare
    const products = new InMemoryProducts(['a', 'b', 'c', 'd', 'e'].map((id) => product(id, 1, 0)));
    // Act
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await listProducts({ products }, 2, token);
      seen.push(...page.items.map((p) => p.productId));
      token = page.nextToken;
    } while (token);
    // Assess
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('reports an unknown product', async () => {
    await expect(getProduct({ products: new InMemoryProducts([]) }, 'x')).rejects.toThrow(
      ProductNotFoundError,
    );
  });

  it('computes available stock as on hand minus reserved, never negative', () => {
    expect(available(product('a', 10, 3))).toBe(7);
    expect(available(product('a', 2, 5))).toBe(0);
  });
});
