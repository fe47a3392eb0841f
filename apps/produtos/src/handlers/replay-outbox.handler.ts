import { outboxReplayHandler } from '@order-platform/lambda-kit';
import { outbox } from '../composition';

/** Republishes produtos's unpublished outbox records (one order's, or all), on an operator's request. */
export const handler = outboxReplayHandler(outbox);
