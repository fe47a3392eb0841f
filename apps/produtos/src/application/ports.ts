import type { Product } from '../domain/product';

export interface ProductPage {
  items: Product[];
  nextToken?: string;
}

/** Where the catalog lives. */
export interface ProductRepository {
  get(productId: string): Promise<Product | undefined>;
  list(limit: number, nextToken?: string): Promise<ProductPage>;
}
