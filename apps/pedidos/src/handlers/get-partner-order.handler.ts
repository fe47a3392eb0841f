import { ForbiddenError, httpHandler, NotFoundError } from '@order-platform/lambda-kit';
import { PartnerOrderRefParams } from '@order-platform/contracts';
import { getPartnerOrder, PartnerDisabledError } from '../application/partner-intake.use-case';
import { orders, partners } from '../composition';
import { orderView } from './order-view';

/** `GET /partner/orders/{partnerOrderRef}` (API key): the status and invoice of a partner's order, for polling. */
export const handler = httpHandler({ params: PartnerOrderRefParams }, async ({ params, apiKeyId }) => {
  try {
    const order = await getPartnerOrder(
      { orders: orders(), partners: partners() },
      apiKeyId ?? '',
      params.partnerOrderRef,
    );
    if (!order) throw new NotFoundError(`No order with reference ${params.partnerOrderRef}`);
    return { status: 200, body: { partnerOrderRef: params.partnerOrderRef, ...orderView(order) } };
  } catch (error) {
    if (error instanceof PartnerDisabledError) throw new ForbiddenError(error.message);
    throw error;
  }
});
