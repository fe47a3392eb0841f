import { outboxPublisherHandler } from '@order-platform/lambda-kit';
import { outbox } from '../composition';

/** The pedidos outbox: publishes every event recorded in the table to the pedidos topic. */
export const handler = outboxPublisherHandler(outbox);
