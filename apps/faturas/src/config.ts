import { configSection } from '@order-platform/lambda-kit';
import * as z from '@order-platform/contracts/zod';

/** The settings of faturas' functions, one section per concern, each parsed on first use. */
export const storageConfig = configSection(
  z.object({
    TABLE_NAME: z.string().check(z.minLength(1)),
    DOCUMENTS_BUCKET: z.string().check(z.minLength(1)),
  }),
);

/** The invoice mail: its sender, and the API whose address of the invoice it names. */
export const mailConfig = configSection(z.object({ SENDER_EMAIL: z.email(), INVOICE_API_URL: z.url() }));
