import * as z from '../zod';
import { Currency, eventSchema, Money } from '../envelope';

export const ProductCreatedV1 = eventSchema(
  'ProductCreated',
  1,
  z.object({
    productId: z.string().check(z.minLength(1)),
    sku: z.string().check(z.minLength(1)),
    name: z.string().check(z.minLength(1)),
    price: Money,
    currency: Currency,
    available: z.int().check(z.nonnegative()),
  }),
);
export type ProductCreatedV1 = z.infer<typeof ProductCreatedV1>;
