/** A catalog product with its stock. Prices are integer cents in BRL. */
export interface Product {
  productId: string;
  sku: string;
  name: string;
  description: string;
  price: number;
  currency: 'BRL';
  stock: { onHand: number; reserved: number };
  updatedAt: string;
}

/** What can be sold now: on hand minus reserved, never below zero. */
export function available(product: Pick<Product, 'stock'>): number {
  return Math.max(0, product.stock.onHand - product.stock.reserved);
}
