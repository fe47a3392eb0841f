import * as z from '../zod';
import { eventSchema, SoldOrderLine } from '../envelope';

export const StockReservedV1 = eventSchema(
  'StockReserved',
  1,
  z.object({
    orderId: z.string().check(z.minLength(1)),
    /** Authoritative unit prices, SKUs and names at the moment of the reservation. */
    items: z
      .array(
        z.extend(SoldOrderLine, {
          /**
           * Available stock of the product once this reservation is taken, as produtos saw it when it
           * planned the reservation (concurrent orders may have taken more since): for low-stock signals.
           */
          availableAfter: z.optional(z.int().check(z.nonnegative())),
        }),
      )
      .check(z.minLength(1)),
  }),
);
export type StockReservedV1 = z.infer<typeof StockReservedV1>;
