import { logger, sqsHandler, withCorrelation } from '@order-platform/lambda-kit';
import { PartnerMessage, takePartnerOrder } from '../application/partner-intake.use-case';
import { clock, orders } from '../composition';
import { partners } from '../partner-composition';

/**
 * The partner intake queue, fed by API Gateway with no Lambda in front: each message is one order or a
 * batch, with the partner's API key id as a message attribute. A message that cannot be read fails (and
 * ends in the intake DLQ); a readable order always becomes an order, REJECTED with its reason if need be.
 */
export const handler = sqsHandler(async (record) => {
  const apiKeyId = record.messageAttributes['apiKeyId']?.stringValue ?? '';
  const message = PartnerMessage.parse(JSON.parse(record.body));
  const batch = 'orders' in message ? message.orders : [message];
  for (const order of batch) {
    const correlationId = `partner-${record.messageId}-${order.partnerOrderRef}`;
    withCorrelation(correlationId);
    const result = await takePartnerOrder({ orders, partners, ...clock }, apiKeyId, order, correlationId);
    logger.info('Partner order taken', {
      partnerOrderRef: order.partnerOrderRef,
      outcome: result.outcome,
      orderId: result.order?.orderId,
    });
  }
});
