import { parseConfig } from '@order-platform/lambda-kit';
import { z } from 'zod';

/** Settings of the outbox publisher. */
export const publisherConfig = parseConfig(
  z.object({ EVENT_TOPIC_ARN: z.string().min(1), OUTBOX_TABLE_NAME: z.string().min(1) }),
);
