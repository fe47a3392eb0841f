import { z } from 'zod';
import { eventSchema, PricedOrderLine } from '../envelope';

export const StockReservedV1 = eventSchema(
  'StockReserved',
  1,
  z.object({
    orderId: z.string().min(1),
    /** Authoritative unit prices at the moment of the reservation. */
    items: z.array(PricedOrderLine).min(1),
  }),
);
export type StockReservedV1 = z.infer<typeof StockReservedV1>;
