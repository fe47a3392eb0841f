import * as z from '../zod';
import { eventSchema } from '../envelope';

export const StockReservationFailedV1 = eventSchema(
  'StockReservationFailed',
  1,
  z.object({
    orderId: z.string().check(z.minLength(1)),
    unavailable: z
      .array(
        z.object({
          productId: z.string().check(z.minLength(1)),
          requested: z.int().check(z.positive()),
          available: z.int().check(z.nonnegative()),
        }),
      )
      .check(z.minLength(1)),
    /** Why, when it is not plain lack of stock (an order produtos cannot reserve as it stands). */
    reason: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
  }),
);
export type StockReservationFailedV1 = z.infer<typeof StockReservationFailedV1>;
