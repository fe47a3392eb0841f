import * as z from '../zod';
import { DeliveryAddress, eventSchema, OrderLine } from '../envelope';

export const OrderPlacedV1 = eventSchema(
  'OrderPlaced',
  1,
  z.object({
    orderId: z.string().check(z.minLength(1)),
    customerId: z.string().check(z.minLength(1)),
    customerEmail: z.optional(z.email()),
    channel: z.enum(['api', 'partner', 'legacy']),
    partnerId: z.optional(z.string()),
    /** The order's number in the system it came from (the legacy channel's `numero`). */
    externalRef: z.optional(z.string().check(z.minLength(1), z.maxLength(40))),
    items: z.array(OrderLine).check(z.minLength(1), z.maxLength(50)),
    deliveryAddress: z.optional(DeliveryAddress),
  }),
);
export type OrderPlacedV1 = z.infer<typeof OrderPlacedV1>;
