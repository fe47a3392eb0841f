import { httpHandler, NotFoundError } from '@order-platform/lambda-kit';
import { z } from 'zod';
import { disablePartner } from '../application/manage-partners.use-case';
import { partnerKeys, partners } from '../partner-composition';

const deps = { partners, keys: partnerKeys(), now: () => new Date(), newSecret: () => '' };

/** `POST /partners/{partnerId}/disable` (admins): its key stops working at once (403). */
export const handler = httpHandler(
  { params: z.object({ partnerId: z.string().min(1).max(64) }), auth: ['admins'] },
  async ({ params }) => {
    const partner = await disablePartner(deps, params.partnerId);
    if (!partner) throw new NotFoundError(`No partner ${params.partnerId}`);
    const { callbackSecret: _secret, ...view } = partner;
    return { status: 200, body: view };
  },
);
