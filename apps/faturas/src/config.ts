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

/**
 * Where the document links point, as the S3 client would read it: the function's region, and an endpoint
 * set for S3 or for every service (the local cloud sets one; in AWS there is none).
 */
export const linkConfig = configSection(
  z.object({
    AWS_REGION: z.string().check(z.minLength(1)),
    AWS_ENDPOINT_URL_S3: z.optional(z.url()),
    AWS_ENDPOINT_URL: z.optional(z.url()),
  }),
);
