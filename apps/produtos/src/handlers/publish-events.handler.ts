import { outboxPublisherHandler } from '@order-platform/lambda-kit';
import { outbox } from '../composition';

/** The produtos outbox: publishes every event recorded in the table to the produtos topic. */
export const handler = outboxPublisherHandler(outbox);
