import { eventHandler, logger } from '@order-platform/lambda-kit';
import { recordEvent } from '../application/record-event.use-case';
import { liveFeed, lowStockThreshold, retrySoon } from '../composition';

const deps = { ...liveFeed(), lowStockThreshold: lowStockThreshold() };

/** Consumes every service's events from the painel inbox: keeps them for the dashboard and pushes them live. */
export const handler = eventHandler(async (event) => {
  const result = await recordEvent(deps, event);
  logger.info('Event taken into the dashboard', { type: event.type, ...result });
}, retrySoon);
