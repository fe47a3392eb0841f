import * as z from 'zod';
import { DeliveryAddress, eventSchema, OrderLine } from '../envelope';

export const OrderPlacedV1 = eventSchema(
  'OrderPlaced',
  1,
  z.object({
    orderId: z.string().min(1),
    customerId: z.string().min(1),
    customerEmail: z.email().optional(),
    channel: z.enum(['api', 'partner', 'legacy']),
    partnerId: z.string().optional(),
    /** The order's number in the system it came from (the legacy channel's `numero`). */
    externalRef: z.string().min(1).max(40).optional(),
    items: z.array(OrderLine).min(1).max(50),
    deliveryAddress: DeliveryAddress.optional(),
  }),
);
export type OrderPlacedV1 = z.infer<typeof OrderPlacedV1>;
