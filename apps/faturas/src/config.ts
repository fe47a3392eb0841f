import { parseConfig } from '@order-platform/lambda-kit';
import { z } from 'zod';

/** Settings of the functions that use the invoices table and bucket. */
export const config = parseConfig(
  z.object({ TABLE_NAME: z.string().min(1), DOCUMENTS_BUCKET: z.string().min(1) }),
);
