import { z } from 'zod';
import { eventSchema, OrderLine } from '../envelope';

export const OrderCancelledV1 = eventSchema(
  'OrderCancelled',
  1,
  z.object({
    orderId: z.string().min(1),
    customerId: z.string().min(1),
    reason: z.string().min(1),
    /** True when stock was reserved for this order and must be released. */
    stockReserved: z.boolean(),
    items: z.array(OrderLine).min(1),
  }),
);
export type OrderCancelledV1 = z.infer<typeof OrderCancelledV1>;
