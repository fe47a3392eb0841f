import { partnerCustomerId } from '../domain/partner';
import type * as z from '@order-platform/contracts/zod';
import type { RegisterPartnerRequest } from '@order-platform/contracts';

import type { Partner, PartnerKeys, PartnerRegistry } from './ports';

/** `POST /partners`'s body is part of the REST contract (`@order-platform/contracts`, OpenAPI). */
export { registerPartnerRequest, RegisterPartnerRequest } from '@order-platform/contracts';

export class PartnerExistsError extends Error {
  constructor(partnerId: string) {
    super(`A partner with id ${partnerId} already exists`);
    this.name = 'PartnerExistsError';
  }
}

export interface ManagePartnersDeps {
  partners: PartnerRegistry;
  keys: PartnerKeys;
  now(): Date;
  /** A new random secret (hex) for signing a partner's callbacks. */
  newSecret(): string;
}

/**
 * Registers a partner and issues its API key:
 * 1. refuses an id already taken (409) before creating anything;
 * 2. creates an enabled key in its tier's usage plan (throttle and daily quota come with the plan);
 * 3. stores the partner; if another admin took the id meanwhile, the new key is deleted again;
 * 4. returns the key's value, which is shown this once and stored nowhere.
 */
export async function registerPartner(
  deps: ManagePartnersDeps,
  input: z.input<typeof RegisterPartnerRequest>,
): Promise<{ partner: Partner; apiKey: string; callbackSecret?: string }> {
  const plan = input.plan ?? 'standard';
  if (await deps.partners.byId(input.partnerId)) throw new PartnerExistsError(input.partnerId);
  const { apiKeyId, apiKey } = await deps.keys.issue(`partner-${input.partnerId}`, plan);
  const partner: Partner = {
    partnerId: input.partnerId,
    name: input.name,
    status: 'ACTIVE',
    plan,
    customerId: input.customerId ?? partnerCustomerId(input.partnerId),
    email: input.email,
    apiKeyId,
    billing: input.billing,
    createdAt: deps.now().toISOString(),
    ...(input.callbackUrl ? { callbackUrl: input.callbackUrl, callbackSecret: deps.newSecret() } : {}),
  };
  if (!(await deps.partners.register(partner))) {
    await deps.keys.revoke(apiKeyId);
    throw new PartnerExistsError(input.partnerId);
  }
  return { partner, apiKey, callbackSecret: partner.callbackSecret };
}

/**
 * Disables a partner: its key first (API Gateway then refuses it with 403), then its record (an order
 * already queued from it becomes REJECTED). Disabling twice changes nothing more.
 */
export async function disablePartner(
  deps: ManagePartnersDeps,
  partnerId: string,
): Promise<Partner | undefined> {
  const partner = await deps.partners.byId(partnerId);
  if (!partner) return undefined;
  await deps.keys.disable(partner.apiKeyId);
  if (partner.status !== 'DISABLED') await deps.partners.setStatus(partner, 'DISABLED');
  return { ...partner, status: 'DISABLED' };
}
