import { partnerCustomerId } from '../domain/partner';
import * as z from 'zod';

import type { Partner, PartnerKeys, PartnerRegistry } from './ports';

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/** HTTPS; plain HTTP to this machine's loopback only where the stage allows it (the local cloud). */
function callbackUrl(allowLoopback: boolean) {
  return z
    .url()
    .max(500)
    .refine(
      (u) => {
        const url = new URL(u);
        if (url.username || url.password) return false;
        if (url.protocol === 'https:') return allowLoopback || !LOOPBACK.includes(url.hostname);
        return allowLoopback && url.protocol === 'http:' && LOOPBACK.includes(url.hostname);
      },
      allowLoopback ? 'an https URL (http only for 127.0.0.1 or localhost)' : 'an https URL to a public host',
    );
}

/** `POST /partners`: a partner as an admin registers it; `allowLoopbackCallbacks` only in the local stage. */
export const registerPartnerRequest = (options: { allowLoopbackCallbacks: boolean }) =>
  z.object({
    partnerId: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'lowercase letters, digits and dashes, 3-40 characters'),
    name: z.string().trim().min(1).max(120),
    email: z.email(),
    billing: z.object({
      legalName: z.string().trim().min(1).max(160),
      taxId: z.string().regex(/^\d{14}$/, 'a CNPJ of 14 digits'),
      address: z.string().trim().max(300).optional(),
    }),
    /** The usage plan: `standard` (10 000 requests a day, the default) or `trial` (100 a day). */
    plan: z.enum(['standard', 'trial']).default('standard'),
    /** Where each order's final status is posted, signed (see the README). */
    callbackUrl: callbackUrl(options.allowLoopbackCallbacks).optional(),
    /** The customer account its orders belong to; `partner-<partnerId>` by default. */
    customerId: z.string().min(1).max(64).optional(),
  });
export const RegisterPartnerRequest = registerPartnerRequest({ allowLoopbackCallbacks: false });
export type RegisterPartnerRequest = z.infer<typeof RegisterPartnerRequest>;

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
