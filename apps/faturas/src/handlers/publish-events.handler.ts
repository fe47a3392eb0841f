import { outboxPublisherHandler } from '@order-platform/lambda-kit';
import { outbox } from '../composition';

/** The faturas outbox: publishes every event recorded in the table to the faturas topic. */
export const handler = outboxPublisherHandler(outbox);
