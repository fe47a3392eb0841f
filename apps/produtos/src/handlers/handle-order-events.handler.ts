import { eventHandler, logger } from '@order-platform/lambda-kit';
import { commitStock, releaseStock, reserveStock } from '../application/manage-stock.use-case';
import { ledger, retrySoon } from '../composition';

/** produtos' inbox: reserves stock on OrderPlaced, releases it on OrderCancelled, commits it on OrderCompleted. */
export const handler = eventHandler(async (event) => {
  let outcome: string;
  switch (event.type) {
    case 'OrderPlaced':
      outcome = await reserveStock({ ledger: ledger() }, event, event.data.orderId, event.data.items);
      break;
    case 'OrderCancelled':
      outcome = await releaseStock({ ledger: ledger() }, event, event.data.orderId);
      break;
    case 'OrderCompleted':
      outcome = await commitStock({ ledger: ledger() }, event.data.orderId);
      break;
    default:
      outcome = 'ignored';
  }
  logger.info('Order event handled', { type: event.type, outcome });
}, retrySoon);
