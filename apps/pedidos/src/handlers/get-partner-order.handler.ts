import { ForbiddenError, httpHandler, NotFoundError } from '@order-platform/lambda-kit';
import { z } from 'zod';
import { orders } from '../composition';
import { partners } from '../partner-composition';
import { orderView } from './order-view';

/** `GET /partner/orders/{partnerOrderRef}` (API key): the status and invoice of a partner's order, for polling. */
export const handler = httpHandler(
  { params: z.object({ partnerOrderRef: z.string().min(1).max(64) }) },
  async ({ params, apiKeyId }) => {
    const keyId = apiKeyId ?? '';
    const partner = await partners.byApiKey(keyId);
    const partnerId = partner?.partnerId ?? `key-${keyId}`;
    if (partner && partner.status !== 'ACTIVE') throw new ForbiddenError('This partner is disabled');
    const orderId = await partners.orderFor(partnerId, params.partnerOrderRef);
    const order = orderId ? await orders.get(orderId) : undefined;
    if (!order) throw new NotFoundError(`No order with reference ${params.partnerOrderRef}`);
    return { status: 200, body: { partnerOrderRef: params.partnerOrderRef, ...orderView(order) } };
  },
);
