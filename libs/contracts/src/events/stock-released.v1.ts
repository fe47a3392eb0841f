import * as z from '../zod';
import { eventSchema, OrderLine } from '../envelope';

export const StockReleasedV1 = eventSchema(
  'StockReleased',
  1,
  z.object({
    orderId: z.string().check(z.minLength(1)),
    /** The lines whose reservation went back to available stock (empty when nothing had been reserved). */
    items: z.array(OrderLine),
  }),
);
export type StockReleasedV1 = z.infer<typeof StockReleasedV1>;
