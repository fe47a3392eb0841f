import * as z from 'zod';
import { eventSchema, Money } from '../envelope';

export const InvoiceIssuedV1 = eventSchema(
  'InvoiceIssued',
  1,
  z.object({
    invoiceId: z.string().min(1),
    orderId: z.string().min(1),
    customerId: z.string().min(1),
    series: z.string().min(1),
    number: z.number().int().positive(),
    total: Money,
    pdfKey: z.string().min(1),
    xmlKey: z.string().min(1),
  }),
);
export type InvoiceIssuedV1 = z.infer<typeof InvoiceIssuedV1>;
