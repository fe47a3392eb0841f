import { eventHandler, logger } from '@order-platform/lambda-kit';
import { recordEvent } from '../application/record-event.use-case';
import { log } from '../composition';

/** Consumes every service's events from the painel inbox and keeps them for the dashboard. */
export const handler = eventHandler(async (event) => {
  const outcome = await recordEvent({ log }, event);
  logger.info('Event kept for the dashboard', { outcome, type: event.type });
});
