import * as z from 'zod';
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
    orderId: z.string().min(1),
    customerId: z.string().min(1),
    customerEmail: z.email().optional(),
    items: z.array(SoldOrderLine).min(1),
    total: Money,
    currency: Currency,
    completedAt: z.iso.datetime(),
    deliveryAddress: DeliveryAddress.optional(),
    buyer: Buyer.optional(),
    /** Where the order came in (absent on events written before it was added). */
    channel: OrderChannel.optional(),
  }),
);
export type OrderCompletedV1 = z.infer<typeof OrderCompletedV1>;
