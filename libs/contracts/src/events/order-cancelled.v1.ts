import * as z from '../zod';
import { eventSchema, OrderLine, OrderChannel } from '../envelope';

export const OrderCancelledV1 = eventSchema(
  'OrderCancelled',
  1,
  z.object({
    orderId: z.string().check(z.minLength(1)),
    customerId: z.string().check(z.minLength(1)),
    reason: z.string().check(z.minLength(1)),
    /** True when stock was reserved for this order and must be released. */
    stockReserved: z.boolean(),
    /**
     * True when the order had completed (charged, stock sold, invoiced) and the customer withdrew from it:
     * the charge is refunded, the units return to stock and the invoice is cancelled. Absent otherwise.
     */
    afterCompletion: z.optional(z.boolean()),
    items: z.array(OrderLine).check(z.minLength(1)),
    /** Where the order came in (absent on events written before it was added). */
    channel: z.optional(OrderChannel),
  }),
);
export type OrderCancelledV1 = z.infer<typeof OrderCancelledV1>;
