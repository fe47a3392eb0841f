import { newEvent, productIdOf } from '@order-platform/contracts';
import { available, type Product } from '../domain/product';
import type { CatalogWriter } from './catalog-ports';

export class DuplicateSkuError extends Error {
  constructor(readonly sku: string) {
    super(`A product with SKU ${sku} already exists`);
    this.name = 'DuplicateSkuError';
  }
}

export class StockBelowZeroError extends Error {
  constructor(
    readonly productId: string,
    readonly available: number,
    readonly delta: number,
  ) {
    super(`Stock of ${productId} cannot go below zero: ${available} available, delta ${delta}`);
    this.name = 'StockBelowZeroError';
  }
}

export class CatalogProductNotFoundError extends Error {
  constructor(readonly productId: string) {
    super(`Product ${productId} not found`);
    this.name = 'CatalogProductNotFoundError';
  }
}

export interface NewProduct {
  sku: string;
  name: string;
  description: string;
  price: number;
  stock: number;
}

function updatedEvent(p: Product, change: 'details' | 'stock', correlationId: string, reason?: string) {
  return newEvent(
    'ProductUpdated',
    'produtos',
    {
      productId: p.productId,
      sku: p.sku,
      name: p.name,
      price: p.price,
      currency: 'BRL',
      onHand: p.stock.onHand,
      available: available(p),
      change,
      ...(reason ? { reason } : {}),
    },
    { correlationId },
  );
}

/**
 * An admin adds a product:
 * 1. derives its id from the SKU (`prod-<sku>`), which must be new (409 otherwise);
 * 2. stores it with its opening stock and ProductCreated, in one transaction.
 */
export async function createProduct(
  deps: { catalog: CatalogWriter; now: () => Date },
  input: NewProduct,
  correlationId: string,
): Promise<Product> {
  const product: Product = {
    productId: productIdOf(input.sku),
    sku: input.sku,
    name: input.name,
    description: input.description,
    price: input.price,
    currency: 'BRL',
    stock: { onHand: input.stock, reserved: 0 },
    updatedAt: deps.now().toISOString(),
  };
  const event = newEvent(
    'ProductCreated',
    'produtos',
    {
      productId: product.productId,
      sku: product.sku,
      name: product.name,
      price: product.price,
      currency: 'BRL',
      available: input.stock,
    },
    { correlationId },
  );
  if (!(await deps.catalog.create(product, event))) throw new DuplicateSkuError(input.sku);
  return product;
}

/** An admin changes a product's name, description or price; stock is left alone (ProductUpdated). */
export async function updateProduct(
  deps: { catalog: CatalogWriter; now: () => Date },
  productId: string,
  changes: { name: string; description: string; price: number },
  correlationId: string,
): Promise<Product> {
  const current = await deps.catalog.get(productId);
  if (!current) throw new CatalogProductNotFoundError(productId);
  const next = { ...current, ...changes, updatedAt: deps.now().toISOString() };
  if (!(await deps.catalog.updateDetails(next, updatedEvent(next, 'details', correlationId)))) {
    throw new CatalogProductNotFoundError(productId);
  }
  return next;
}

/**
 * An admin restocks (positive delta) or adjusts (negative delta) a product's stock on hand; available
 * stock never goes below zero, so a negative delta larger than what is available is refused.
 */
export async function adjustStock(
  deps: { catalog: CatalogWriter },
  productId: string,
  delta: number,
  reason: string,
  correlationId: string,
): Promise<Product> {
  const current = await deps.catalog.get(productId);
  if (!current) throw new CatalogProductNotFoundError(productId);
  if (available(current) + delta < 0) throw new StockBelowZeroError(productId, available(current), delta);
  const after = { ...current, stock: { ...current.stock, onHand: current.stock.onHand + delta } };
  const result = await deps.catalog.adjust(
    productId,
    delta,
    updatedEvent(after, 'stock', correlationId, reason),
  );
  if (result === 'not-found') throw new CatalogProductNotFoundError(productId);
  if (result === 'below-zero') throw new StockBelowZeroError(productId, available(current), delta);
  return (await deps.catalog.get(productId))!;
}
