import type { ProductView } from '@order-platform/contracts';
import { available, type Product } from '../domain/product';

/** The public shape of a product: stock shows only what can be sold. */
export function productView(p: Product): ProductView {
  return {
    id: p.productId,
    sku: p.sku,
    name: p.name,
    description: p.description,
    price: p.price,
    currency: p.currency,
    stock: { available: available(p) },
  };
}
