import { eventHandler, logger } from '@order-platform/lambda-kit';
import { issueInvoice } from '../application/issue-invoice.use-case';
import { issueDeps } from '../issue-composition';
import { retrySoon } from '../retry-composition';

/** faturas' inbox: issues the invoice of every completed order, exactly once. */
export const handler = eventHandler(async (event) => {
  if (event.type !== 'OrderCompleted') return logger.info('Event ignored', { type: event.type });
  const invoice = await issueInvoice(issueDeps, event);
  logger.info('Invoice issued', { orderId: invoice.orderId, series: invoice.series, number: invoice.number });
}, retrySoon);
