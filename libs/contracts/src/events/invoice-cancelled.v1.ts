import * as z from 'zod';
import { eventSchema } from '../envelope';

/** An issued invoice was cancelled (its order withdrawn from): the number stays taken, never reused. */
export const InvoiceCancelledV1 = eventSchema(
  'InvoiceCancelled',
  1,
  z.object({
    invoiceId: z.string().min(1),
    orderId: z.string().min(1),
    customerId: z.string().min(1),
    series: z.string().min(1),
    number: z.number().int().positive(),
    reason: z.string().min(1),
  }),
);
export type InvoiceCancelledV1 = z.infer<typeof InvoiceCancelledV1>;
