import type { DomainEvent } from '@order-platform/contracts';
import { available, type Product } from '../domain/product';
import type { CatalogWriter } from './catalog-ports';
import {
  adjustStock,
  createProduct,
  DuplicateSkuError,
  StockBelowZeroError,
  updateProduct,
} from './manage-catalog.use-case';

class InMemoryCatalog implements CatalogWriter {
  products = new Map<string, Product>();
  skus = new Set<string>();
  events: DomainEvent[] = [];
  async get(id: string) {
    const p = this.products.get(id);
    return p ? structuredClone(p) : undefined;
  }
  async create(p: Product, e: DomainEvent) {
    if (this.skus.has(p.sku) || this.products.has(p.productId)) return false;
    this.skus.add(p.sku);
    this.products.set(p.productId, p);
    this.events.push(e);
    return true;
  }
  async updateDetails(p: Product, e: DomainEvent) {
    if (!this.products.has(p.productId)) return false;
    this.products.set(p.productId, p);
    this.events.push(e);
    return true;
  }
  async adjust(id: string, delta: number, e: DomainEvent) {
    const p = this.products.get(id);
    if (!p) return 'not-found' as const;
    if (available(p) + delta < 0) return 'below-zero' as const;
    p.stock.onHand += delta;
    this.events.push(e);
    return 'done' as const;
  }
}

const now = () => new Date('2026-11-22T12:00:00Z');

describe('catalog administration', () => {
  it('creates a product from its SKU with opening stock and refuses the same SKU twice', async () => {
    // Prepare
    const catalog = new InMemoryCatalog();
    const input = { sku: 'CHA-100', name: 'Chá', description: '', price: 1290, stock: 10 };
    // Act
    const product = await createProduct({ catalog, now }, input, 'c1');
    // Assess
    expect(product).toMatchObject({ productId: 'prod-cha-100', stock: { onHand: 10, reserved: 0 } });
    expect(catalog.events[0]).toMatchObject({
      type: 'ProductCreated',
      correlationId: 'c1',
      data: { available: 10 },
    });
    await expect(createProduct({ catalog, now }, input, 'c2')).rejects.toThrow(DuplicateSkuError);
  });

  it('updates details without touching stock', async () => {
    // Prepare
    const catalog = new InMemoryCatalog();
    await createProduct(
      { catalog, now },
      { sku: 'A', name: 'a', description: '', price: 100, stock: 3 },
      'c',
    );
    // Act
    const updated = await updateProduct(
      { catalog, now },
      'prod-a',
      { name: 'b', description: 'd', price: 150 },
      'c',
    );
    // Assess
    expect(updated).toMatchObject({ name: 'b', price: 150, stock: { onHand: 3 } });
    expect(catalog.events.at(-1)).toMatchObject({
      type: 'ProductUpdated',
      data: { change: 'details', price: 150 },
    });
  });

  it('restocks and adjusts, but never below zero available', async () => {
    // Prepare
    const catalog = new InMemoryCatalog();
    await createProduct(
      { catalog, now },
      { sku: 'A', name: 'a', description: '', price: 100, stock: 3 },
      'c',
    );
    catalog.products.get('prod-a')!.stock.reserved = 2;
    // Act
    const restocked = await adjustStock({ catalog }, 'prod-a', 5, 'delivery', 'c');
    // Assess
    expect(available(restocked)).toBe(6);
    await expect(adjustStock({ catalog }, 'prod-a', -7, 'breakage', 'c')).rejects.toThrow(
      StockBelowZeroError,
    );
    expect(available((await catalog.get('prod-a'))!)).toBe(6);
    expect(catalog.events.at(-1)).toMatchObject({
      type: 'ProductUpdated',
      data: { change: 'stock', reason: 'delivery', available: 6 },
    });
  });
});
