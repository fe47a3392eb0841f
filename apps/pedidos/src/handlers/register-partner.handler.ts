import { randomBytes } from 'node:crypto';
import { ConflictError, httpHandler } from '@order-platform/lambda-kit';
import {
  PartnerExistsError,
  registerPartner,
  registerPartnerRequest,
} from '../application/manage-partners.use-case';
import { allowLoopbackCallbacks, clock, partnerKeys, partners } from '../composition';

const newSecret = () => randomBytes(32).toString('hex');

/** `POST /partners` (admins): registers a partner and returns its API key, this once. */
export const handler = httpHandler(
  { body: registerPartnerRequest({ allowLoopbackCallbacks: allowLoopbackCallbacks() }), auth: ['admins'] },
  async ({ body }) => {
    try {
      const { partner, apiKey, callbackSecret } = await registerPartner(
        { partners: partners(), keys: partnerKeys(), now: clock.now, newSecret },
        body,
      );
      // The key and the callback secret are shown this once.
      return {
        status: 201,
        headers: { Location: `/partners/${partner.partnerId}` },
        body: { ...partner, apiKey, ...(callbackSecret ? { callbackSecret } : {}) },
      };
    } catch (error) {
      if (error instanceof PartnerExistsError) throw new ConflictError(error.message);
      throw error;
    }
  },
);
