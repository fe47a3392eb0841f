import { z } from 'zod';
import { Currency, eventSchema, Money, PricedOrderLine } from '../envelope';

export const OrderCompletedV1 = eventSchema(
  'OrderCompleted',
  1,
  z.object({
    orderId: z.string().min(1),
    customerId: z.string().min(1),
    customerEmail: z.email().optional(),
    items: z.array(PricedOrderLine).min(1),
    total: Money,
    currency: Currency,
    completedAt: z.iso.datetime(),
  }),
);
export type OrderCompletedV1 = z.infer<typeof OrderCompletedV1>;
