import * as z from '../zod';
import { eventSchema, Money, PricedOrderLine } from '../envelope';

export const OrderProcessingV1 = eventSchema(
  'OrderProcessing',
  1,
  z.object({
    orderId: z.string().check(z.minLength(1)),
    customerId: z.string().check(z.minLength(1)),
    items: z.array(PricedOrderLine).check(z.minLength(1)),
    total: Money,
  }),
);
export type OrderProcessingV1 = z.infer<typeof OrderProcessingV1>;
