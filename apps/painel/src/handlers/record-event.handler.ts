import type { Context, SQSEvent } from 'aws-lambda';
import { eventHandler, logger } from '@order-platform/lambda-kit';
import { readOncePerBatch, recordEvent } from '../application/record-event.use-case';
import { liveFeed, lowStockThreshold, retrySoon } from '../composition';

const feed = liveFeed();
const connections = readOncePerBatch(feed.connections);
const deps = { ...feed, connections, lowStockThreshold: lowStockThreshold() };

const handleBatch = eventHandler(async (event) => {
  const result = await recordEvent(deps, event);
  logger.info('Event taken into the dashboard', { type: event.type, ...result });
}, retrySoon);

/** Consumes every service's events from the painel inbox: keeps them for the dashboard and pushes them live. */
export const handler = (event: SQSEvent, context: Context) => {
  connections.forget();
  return handleBatch(event, context);
};
