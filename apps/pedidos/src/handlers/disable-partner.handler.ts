import { httpHandler, NotFoundError } from '@order-platform/lambda-kit';
import { PartnerIdParams } from '@order-platform/contracts';
import { disablePartner } from '../application/manage-partners.use-case';
import { clock, partnerKeys, partners } from '../composition';

/** `POST /partners/{partnerId}/disable` (admins): its key stops working at once (403). */
export const handler = httpHandler({ params: PartnerIdParams, auth: ['admins'] }, async ({ params }) => {
  const partner = await disablePartner(
    { partners: partners(), keys: partnerKeys(), now: clock.now, newSecret: () => '' },
    params.partnerId,
  );
  if (!partner) throw new NotFoundError(`No partner ${params.partnerId}`);
  const { callbackSecret: _secret, ...view } = partner;
  return { status: 200, body: view };
});
