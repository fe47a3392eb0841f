import * as z from '../zod';
import {
  Buyer,
  Currency,
  DeliveryAddress,
  eventSchema,
  Money,
  SoldOrderLine,
  OrderChannel,
} from '../envelope';

export const OrderCompletedV1 = eventSchema(
  'OrderCompleted',
  1,
  z.object({
    orderId: z.string().check(z.minLength(1)),
    customerId: z.string().check(z.minLength(1)),
    customerEmail: z.optional(z.email()),
    items: z.array(SoldOrderLine).check(z.minLength(1)),
    total: Money,
    currency: Currency,
    completedAt: z.iso.datetime(),
    deliveryAddress: z.optional(DeliveryAddress),
    buyer: z.optional(Buyer),
    /** Where the order came in (absent on events written before it was added). */
    channel: z.optional(OrderChannel),
  }),
);
export type OrderCompletedV1 = z.infer<typeof OrderCompletedV1>;
