import * as z from 'zod';
import { Currency, eventSchema, Money } from '../envelope';

export const ProductCreatedV1 = eventSchema(
  'ProductCreated',
  1,
  z.object({
    productId: z.string().min(1),
    sku: z.string().min(1),
    name: z.string().min(1),
    price: Money,
    currency: Currency,
    available: z.number().int().nonnegative(),
  }),
);
export type ProductCreatedV1 = z.infer<typeof ProductCreatedV1>;
