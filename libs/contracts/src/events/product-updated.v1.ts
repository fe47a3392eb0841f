import * as z from 'zod';
import { Currency, eventSchema, Money } from '../envelope';

export const ProductUpdatedV1 = eventSchema(
  'ProductUpdated',
  1,
  z.object({
    productId: z.string().min(1),
    sku: z.string().min(1),
    name: z.string().min(1),
    price: Money,
    currency: Currency,
    onHand: z.number().int().nonnegative(),
    available: z.number().int().nonnegative(),
    /** Why it changed: `details` (name, description, price) or `stock` (restock or adjustment). */
    change: z.enum(['details', 'stock']),
    reason: z.string().optional(),
  }),
);
export type ProductUpdatedV1 = z.infer<typeof ProductUpdatedV1>;
