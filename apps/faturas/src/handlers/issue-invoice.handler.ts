import { eventHandler, logger } from '@order-platform/lambda-kit';
import { cancelInvoice } from '../application/cancel-invoice.use-case';
import { issueInvoice } from '../application/issue-invoice.use-case';
import { issueDeps, retrySoon } from '../composition';

/**
 * faturas' inbox: issues the invoice of every completed order, exactly once, and cancels it when the
 * customer withdraws from the order.
 */
export const handler = eventHandler(async (event) => {
  switch (event.type) {
    case 'OrderCompleted': {
      const invoice = await issueInvoice(issueDeps(), event);
      logger.info('Invoice issued', {
        orderId: invoice.orderId,
        series: invoice.series,
        number: invoice.number,
      });
      return;
    }
    case 'OrderCancelled': {
      const invoice = await cancelInvoice(issueDeps(), event);
      logger.info(invoice ? 'Invoice cancelled' : 'Cancellation before completion: no invoice', {
        orderId: event.data.orderId,
        number: invoice?.number,
      });
      return;
    }
    default:
      logger.info('Event ignored', { type: event.type });
  }
}, retrySoon);
