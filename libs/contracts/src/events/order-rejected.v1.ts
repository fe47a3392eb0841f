import * as z from '../zod';
import { eventSchema, OrderChannel } from '../envelope';

export const OrderRejectedV1 = eventSchema(
  'OrderRejected',
  1,
  z.object({
    orderId: z.string().check(z.minLength(1)),
    customerId: z.string().check(z.minLength(1)),
    reason: z.string().check(z.minLength(1)),
    /** Where the order came in (absent on events written before it was added). */
    channel: z.optional(OrderChannel),
  }),
);
export type OrderRejectedV1 = z.infer<typeof OrderRejectedV1>;
