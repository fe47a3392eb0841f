import { configSection } from '@order-platform/lambda-kit';
import * as z from '@order-platform/contracts/zod';

/** The settings of produtos' functions, one section per concern, each parsed on first use. */
export const tableConfig = configSection(z.object({ TABLE_NAME: z.string().check(z.minLength(1)) }));
