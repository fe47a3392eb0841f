import { parseConfig } from '@order-platform/lambda-kit';
import { z } from 'zod';

/** Settings of the painel functions. */
export const config = parseConfig(z.object({ TABLE_NAME: z.string().min(1) }));
