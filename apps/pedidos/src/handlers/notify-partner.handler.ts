import { eventHandler, logger } from '@order-platform/lambda-kit';
import { notifyPartner } from '../application/notify-partner.use-case';
import { callbacks, orders, partners, retryCallbacks } from '../composition';

/**
 * Posts the final status of partner orders to the partners' callback URLs, signed. A refused delivery comes
 * back after 5 s, 10 s, 20 s, 40 s... (at most 15 minutes) until the queue moves it to its DLQ. The records
 * of a batch are delivered at the same time, so one slow partner (5 s at most) never makes another
 * partner's delivery time out or repeat.
 */
export const handler = eventHandler(
  async (event, record) => {
    const outcome = await notifyPartner(
      { orders: orders(), partners: partners(), callbacks: callbacks() },
      event,
    ).catch((error: Error) => {
      logger.warn('Partner callback refused; retrying later', {
        error: error.message,
        attempt: record.attributes.ApproximateReceiveCount,
      });
      throw error;
    });
    logger.info('Partner callback', { type: event.type, outcome });
  },
  { parallel: true, ...retryCallbacks },
);
