import type { ProductCreatedV1, ProductUpdatedV1 } from '@order-platform/contracts';
import type { Product } from '../domain/product';

/** Catalog writes, each one transaction with its outbox event. */
export interface CatalogWriter {
  get(productId: string): Promise<Product | undefined>;
  /** False when the SKU (or id) exists already. */
  create(product: Product, event: ProductCreatedV1): Promise<boolean>;
  /** False when the product does not exist. */
  updateDetails(product: Product, event: ProductUpdatedV1): Promise<boolean>;
  /** Adds `delta` to on-hand and available stock, on condition available stays ≥ 0. */
  adjust(
    productId: string,
    delta: number,
    event: ProductUpdatedV1,
  ): Promise<'done' | 'not-found' | 'below-zero'>;
}
