import { SQSClient } from '@aws-sdk/client-sqs';
import { sqsRetryBackoff } from '@order-platform/aws-adapters';
import { eventHandler, logger, traced } from '@order-platform/lambda-kit';
import { HttpPartnerCallbacks } from '../adapters/http-partner.callbacks';
import { notifyPartner } from '../application/notify-partner.use-case';
import { orders } from '../composition';
import { callbackRules, partners } from '../partner-composition';

const deps = {
  orders,
  partners,
  callbacks: new HttpPartnerCallbacks({ allowLoopback: callbackRules.allowLoopbackCallbacks }),
};

/**
 * Posts the final status of partner orders to the partners' callback URLs, signed. A refused delivery comes
 * back after 5 s, 10 s, 20 s, 40 s... (at most 15 minutes) until the queue moves it to its DLQ. The records
 * of a batch are delivered at the same time, so one slow partner (5 s at most) never makes another
 * partner's delivery time out or repeat.
 */
export const handler = eventHandler(
  async (event, record) => {
    const outcome = await notifyPartner(deps, event).catch((error: Error) => {
      logger.warn('Partner callback refused; retrying later', {
        error: error.message,
        attempt: record.attributes.ApproximateReceiveCount,
      });
      throw error;
    });
    logger.info('Partner callback', { type: event.type, outcome });
  },
  { parallel: true, onFailure: sqsRetryBackoff(traced(new SQSClient({})), { baseSeconds: 5 }) },
);
