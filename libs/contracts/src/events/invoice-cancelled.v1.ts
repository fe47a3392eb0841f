import * as z from '../zod';
import { eventSchema } from '../envelope';

/** An issued invoice was cancelled (its order withdrawn from): the number stays taken, never reused. */
export const InvoiceCancelledV1 = eventSchema(
  'InvoiceCancelled',
  1,
  z.object({
    invoiceId: z.string().check(z.minLength(1)),
    orderId: z.string().check(z.minLength(1)),
    customerId: z.string().check(z.minLength(1)),
    series: z.string().check(z.minLength(1)),
    number: z.int().check(z.positive()),
    reason: z.string().check(z.minLength(1)),
  }),
);
export type InvoiceCancelledV1 = z.infer<typeof InvoiceCancelledV1>;
