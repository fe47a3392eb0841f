import { randomBytes } from 'node:crypto';
import { ConflictError, httpHandler } from '@order-platform/lambda-kit';
import {
  PartnerExistsError,
  registerPartner,
  registerPartnerRequest,
} from '../application/manage-partners.use-case';
import { callbackRules, partnerKeys, partners } from '../partner-composition';

const deps = {
  partners,
  keys: partnerKeys(),
  now: () => new Date(),
  newSecret: () => randomBytes(32).toString('hex'),
};

/** `POST /partners` (admins): registers a partner and returns its API key, this once. */
export const handler = httpHandler(
  { body: registerPartnerRequest(callbackRules), auth: ['admins'] },
  async ({ body }) => {
    try {
      const { partner, apiKey, callbackSecret } = await registerPartner(deps, body);
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
