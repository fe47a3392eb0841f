import { eventHandler, logger } from '@order-platform/lambda-kit';
import { writeBackLegacyStatus } from '../application/legacy-intake.use-case';
import { legacyDatabase, orders, retrySoon } from '../composition';

/**
 * Writes each legacy order's outcome (OrderCompleted, OrderRejected, OrderCancelled) back to its row of
 * the legacy database: CONCLUIDO, REJEITADO or CANCELADO. The database down fails the message, which is
 * retried with backoff and, after five receives, kept in the inbox's DLQ.
 */
export const handler = eventHandler(async (event) => {
  const orderId = (event.data as { orderId: string }).orderId;
  const result = await writeBackLegacyStatus({ orders: orders(), legacy: legacyDatabase() }, orderId);
  logger.info('Legacy write-back', { orderId, type: event.type, result });
}, retrySoon);
