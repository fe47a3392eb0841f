import { eventHandler, logger } from '@order-platform/lambda-kit';
import { notifyCustomer } from '../application/notify-customer.use-case';
import { mailer, orders, retrySoon } from '../composition';

/** E-mails the customer on OrderPlaced, OrderCompleted, OrderRejected and OrderCancelled, once each. */
export const handler = eventHandler(async (event) => {
  const outcome = await notifyCustomer({ orders: orders(), mailer: mailer() }, event);
  logger.info('Customer notified', { type: event.type, outcome });
}, retrySoon);
