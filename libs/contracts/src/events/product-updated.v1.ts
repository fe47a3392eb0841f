import * as z from '../zod';
import { Currency, eventSchema, Money } from '../envelope';

export const ProductUpdatedV1 = eventSchema(
  'ProductUpdated',
  1,
  z.object({
    productId: z.string().check(z.minLength(1)),
    sku: z.string().check(z.minLength(1)),
    name: z.string().check(z.minLength(1)),
    price: Money,
    currency: Currency,
    onHand: z.int().check(z.nonnegative()),
    available: z.int().check(z.nonnegative()),
    /** Why it changed: `details` (name, description, price) or `stock` (restock or adjustment). */
    change: z.enum(['details', 'stock']),
    reason: z.optional(z.string()),
  }),
);
export type ProductUpdatedV1 = z.infer<typeof ProductUpdatedV1>;
