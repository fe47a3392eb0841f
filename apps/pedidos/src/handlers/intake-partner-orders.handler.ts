import { logger, sqsHandler, withCorrelation } from '@order-platform/lambda-kit';
import { ordersOfMessage, takePartnerOrder } from '../application/partner-intake.use-case';
import { clock, orders, partners, retrySoon } from '../composition';

/**
 * The partner intake queue, fed by API Gateway with no Lambda in front: each message is one order or a
 * batch, with the partner's API key id as a message attribute. Each order of a batch is admitted on its
 * own: a bad one becomes a REJECTED order the partner can read, the others go on. Only a body that is not
 * JSON at all fails the message (and ends in the intake DLQ, which raises an alarm).
 */
export const handler = sqsHandler(async (record) => {
  const apiKeyId = record.messageAttributes['apiKeyId']?.stringValue ?? '';
  const entries = ordersOfMessage(JSON.parse(record.body));
  for (const [index, entry] of entries.entries()) {
    const fallbackRef = `invalid-${record.messageId}-${index}`;
    const correlationId = `partner-${record.messageId}-${index}`;
    withCorrelation(correlationId);
    const result = await takePartnerOrder(
      { orders: orders(), partners: partners(), ...clock },
      apiKeyId,
      entry,
      correlationId,
      fallbackRef,
    );
    logger.info('Partner order taken', {
      partnerOrderRef: result.partnerOrderRef,
      outcome: result.outcome,
      orderId: result.order?.orderId,
    });
  }
}, retrySoon);
