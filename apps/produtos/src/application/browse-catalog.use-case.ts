import type { ProductPage, ProductRepository } from './ports';
import type { Product } from '../domain/product';

export class ProductNotFoundError extends Error {
  constructor(readonly productId: string) {
    super(`Product ${productId} not found`);
    this.name = 'ProductNotFoundError';
  }
}

/** One page of the catalog, `limit` products at most, continuing after `nextToken`. */
export async function listProducts(
  deps: { products: ProductRepository },
  limit: number,
  nextToken?: string,
): Promise<ProductPage> {
  return deps.products.list(limit, nextToken);
}

/** One product, or ProductNotFoundError. */
export async function getProduct(deps: { products: ProductRepository }, productId: string): Promise<Product> {
  const product = await deps.products.get(productId);
  if (!product) throw new ProductNotFoundError(productId);
  return product;
}
