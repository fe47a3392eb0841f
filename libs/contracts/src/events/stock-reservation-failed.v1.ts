import * as z from 'zod';
import { eventSchema } from '../envelope';

export const StockReservationFailedV1 = eventSchema(
  'StockReservationFailed',
  1,
  z.object({
    orderId: z.string().min(1),
    unavailable: z
      .array(
        z.object({
          productId: z.string().min(1),
          requested: z.number().int().positive(),
          available: z.number().int().nonnegative(),
        }),
      )
      .min(1),
    /** Why, when it is not plain lack of stock (an order produtos cannot reserve as it stands). */
    reason: z.string().min(1).max(500).optional(),
  }),
);
export type StockReservationFailedV1 = z.infer<typeof StockReservationFailedV1>;
