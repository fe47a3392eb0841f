import { PartnerOrder, PartnerOrderRef, productIdOf } from '@order-platform/contracts';
import { type Order, type OrderLine } from '../domain/order';
import { partnerCustomerId, unknownPartnerId } from '../domain/partner';
import {
  admitOrder,
  IdempotencyConflictError,
  storeRejectedOrder,
  type PlaceOrderDeps,
} from './place-order.use-case';
import type { Partner, PartnerRegistry } from './ports';

export { PartnerOrder };

export type IntakeOutcome = 'accepted' | 'replayed' | 'rejected' | 'conflict';

type IntakeDeps = PlaceOrderDeps & { partners: PartnerRegistry };

/**
 * The orders of one intake message, each to be admitted on its own: a batch `{ orders: [...] }` or one
 * order. Anything else is one entry that will be rejected. Never throws on content.
 */
export function ordersOfMessage(body: unknown): unknown[] {
  if (body && typeof body === 'object' && !Array.isArray(body) && 'orders' in body) {
    const orders = (body as { orders: unknown }).orders;
    return Array.isArray(orders) && orders.length ? orders : [body];
  }
  return [body];
}

/** Lines naming the same product (by `sku` and `productId`, or two SKUs of one id) become one line. */
export function mergeLines(items: PartnerOrder['items']): OrderLine[] {
  const merged = new Map<string, number>();
  for (const item of items) {
    const productId = 'sku' in item ? productIdOf(item.sku) : item.productId;
    merged.set(productId, (merged.get(productId) ?? 0) + item.quantity);
  }
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * Takes in one entry of a partner message from the intake queue:
 * 1. an entry that does not fit the schema (the gateway checks the same schema, so this is rare) becomes
 *    a REJECTED order naming the bad fields, under its reference when it has a usable one;
 * 2. finds the partner by the API key API Gateway authenticated; an unknown or disabled partner's order is
 *    stored REJECTED with the reason;
 * 3. SKU lines become product ids, lines of the same product are merged; the partner's account pays;
 * 4. the same reference twice makes one order, for ever (the reference is the partner's idempotency key).
 */
export async function takePartnerOrder(
  deps: IntakeDeps,
  apiKeyId: string,
  entry: unknown,
  correlationId: string,
  fallbackRef: string,
): Promise<{ outcome: IntakeOutcome; order?: Order; partnerOrderRef: string }> {
  const parsed = PartnerOrder.safeParse(entry);
  const partner = await deps.partners.byApiKey(apiKeyId);
  if (!parsed.success) {
    const rawRef = (entry as { partnerOrderRef?: unknown } | null)?.partnerOrderRef;
    const partnerOrderRef = PartnerOrderRef.safeParse(rawRef).success ? (rawRef as string) : fallbackRef;
    const fields = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(order)'}: ${i.message}`)
      .slice(0, 10)
      .join('; ');
    const result = await reject(
      deps,
      partner,
      apiKeyId,
      partnerOrderRef,
      [],
      `Invalid order: ${fields}`,
      correlationId,
    );
    return { ...result, partnerOrderRef };
  }
  const input = parsed.data;
  const items = mergeLines(input.items);
  if (!partner || partner.status !== 'ACTIVE') {
    const reason = partner ? `Partner ${partner.partnerId} is disabled` : 'Unknown partner';
    const result = await reject(deps, partner, apiKeyId, input.partnerOrderRef, items, reason, correlationId);
    return { ...result, partnerOrderRef: input.partnerOrderRef };
  }
  try {
    const { order, replayed } = await admitOrder(deps, {
      customerId: partner.customerId,
      customerEmail: partner.email,
      channel: 'partner',
      partnerId: partner.partnerId,
      partnerOrderRef: input.partnerOrderRef,
      items,
      payment: { method: 'account', token: partner.partnerId },
      deliveryAddress: input.deliverTo,
      buyer: {
        ...(partner.billing
          ? { name: partner.billing.legalName, taxId: partner.billing.taxId }
          : { name: partner.name }),
        ...(partner.email ? { email: partner.email } : {}),
      },
      idempotencyKey: partnerKey(partner.partnerId, input.partnerOrderRef),
      permanentKey: true,
      fingerprintOf: { items: input.items, deliverTo: input.deliverTo },
      correlationId,
    });
    return { outcome: replayed ? 'replayed' : 'accepted', order, partnerOrderRef: input.partnerOrderRef };
  } catch (error) {
    // Another order already holds this reference: the first one stands; nothing is lost or doubled.
    if (error instanceof IdempotencyConflictError)
      return { outcome: 'conflict', partnerOrderRef: input.partnerOrderRef };
    throw error;
  }
}

const partnerKey = (partnerId: string, ref: string) => `PARTNER#${partnerId}#${ref}`;

/** Stores an order that cannot be taken as REJECTED with its reason, under the partner's reference, once. */
async function reject(
  deps: IntakeDeps,
  partner: Partner | undefined,
  apiKeyId: string,
  partnerOrderRef: string,
  items: OrderLine[],
  reason: string,
  correlationId: string,
): Promise<{ outcome: IntakeOutcome; order?: Order }> {
  const partnerId = partner?.partnerId ?? unknownPartnerId(apiKeyId);
  const result = await storeRejectedOrder(deps, {
    customerId: partner?.customerId ?? partnerCustomerId(partnerId),
    channel: 'partner',
    partnerId,
    partnerOrderRef,
    items,
    payment: { method: 'account', token: partnerId },
    reason,
    correlationId,
    idempotencyKey: partnerKey(partnerId, partnerOrderRef),
  });
  return result.created ? { outcome: 'rejected', order: result.order } : { outcome: 'replayed' };
}

export class PartnerDisabledError extends Error {
  constructor(readonly partnerId: string) {
    super('This partner is disabled');
    this.name = 'PartnerDisabledError';
  }
}

/**
 * A partner reads one of its orders by its own reference (polling): the key names the partner (an unknown
 * key, the orders recorded under it); a disabled partner is refused; another partner's reference is unknown.
 */
export async function getPartnerOrder(
  deps: { orders: PlaceOrderDeps['orders']; partners: PartnerRegistry },
  apiKeyId: string,
  partnerOrderRef: string,
): Promise<Order | undefined> {
  const partner = await deps.partners.byApiKey(apiKeyId);
  if (partner && partner.status !== 'ACTIVE') throw new PartnerDisabledError(partner.partnerId);
  const orderId = await deps.partners.orderFor(
    partner?.partnerId ?? unknownPartnerId(apiKeyId),
    partnerOrderRef,
  );
  return orderId ? deps.orders.get(orderId) : undefined;
}
