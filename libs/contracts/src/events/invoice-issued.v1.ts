import * as z from '../zod';
import { eventSchema, Money } from '../envelope';

export const InvoiceIssuedV1 = eventSchema(
  'InvoiceIssued',
  1,
  z.object({
    invoiceId: z.string().check(z.minLength(1)),
    orderId: z.string().check(z.minLength(1)),
    customerId: z.string().check(z.minLength(1)),
    series: z.string().check(z.minLength(1)),
    number: z.int().check(z.positive()),
    total: Money,
    pdfKey: z.string().check(z.minLength(1)),
    xmlKey: z.string().check(z.minLength(1)),
  }),
);
export type InvoiceIssuedV1 = z.infer<typeof InvoiceIssuedV1>;
