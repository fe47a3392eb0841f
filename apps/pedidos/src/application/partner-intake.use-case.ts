import { newEvent, productIdOf } from '@order-platform/contracts';
import { z } from 'zod';
import { type Order } from '../domain/order';
import { admitOrder, IdempotencyConflictError, type PlaceOrderDeps } from './place-order.use-case';
import type { PartnerRegistry } from './ports';

/** One partner order as partners send it (the API Gateway model checks the same shape first). */
export const PartnerOrder = z.object({
  partnerOrderRef: z.string().trim().min(1).max(64),
  items: z
    .array(
      z.union([
        z.object({ sku: z.string().min(1).max(40), quantity: z.number().int().positive() }),
        z.object({ productId: z.string().min(1).max(64), quantity: z.number().int().positive() }),
      ]),
    )
    .min(1)
    .max(50),
  deliverTo: z.unknown(),
});
export type PartnerOrder = z.infer<typeof PartnerOrder>;

/** A message of the intake queue: one order, or a batch of up to 25. */
export const PartnerMessage = z.union([
  PartnerOrder,
  z.object({ orders: z.array(PartnerOrder).min(1).max(25) }),
]);

export type IntakeOutcome = 'accepted' | 'replayed' | 'rejected' | 'conflict';

/**
 * Takes in one partner order from the intake queue:
 * 1. finds the partner by the API key API Gateway authenticated;
 * 2. an unknown or disabled partner does not lose the order: it is stored REJECTED with the reason;
 * 3. SKU lines become product ids; the partner's account pays (invoiced);
 * 4. the same reference twice makes one order (the reference is the idempotency key per partner).
 */
export async function takePartnerOrder(
  deps: PlaceOrderDeps & { partners: PartnerRegistry },
  apiKeyId: string,
  input: PartnerOrder,
  correlationId: string,
): Promise<{ outcome: IntakeOutcome; order?: Order }> {
  const partner = await deps.partners.byApiKey(apiKeyId);
  const items = input.items.map((i) => ({
    productId: 'sku' in i ? productIdOf(i.sku) : i.productId,
    quantity: i.quantity,
  }));
  if (!partner || partner.status !== 'ACTIVE') {
    const reason = partner ? `Partner ${partner.partnerId} is disabled` : 'Unknown partner';
    const partnerId = partner?.partnerId ?? `key-${apiKeyId}`;
    const now = deps.now();
    const orderId = deps.newId();
    const order: Order = {
      orderId,
      customerId: partner?.customerId ?? `partner:${partnerId}`,
      channel: 'partner',
      partnerId,
      partnerOrderRef: input.partnerOrderRef,
      items,
      payment: { method: 'account', token: partnerId },
      status: 'REJECTED',
      currency: 'BRL',
      statusHistory: [
        { status: 'RECEIVED', at: now.toISOString() },
        { status: 'REJECTED', at: now.toISOString(), reason },
      ],
      correlationId,
      createdAt: now.toISOString(),
      revision: 1,
    };
    const event = newEvent(
      'OrderRejected',
      'pedidos',
      { orderId, customerId: order.customerId, reason },
      { correlationId },
    );
    const result = await deps.orders.create(order, event, {
      key: `PARTNER#${partnerId}#${input.partnerOrderRef}`,
      fingerprint: 'rejected',
    });
    return result.created ? { outcome: 'rejected', order } : { outcome: 'replayed' };
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
      idempotencyKey: `PARTNER#${partner.partnerId}#${input.partnerOrderRef}`,
      fingerprintOf: { items: input.items, deliverTo: input.deliverTo },
      correlationId,
    });
    return { outcome: replayed ? 'replayed' : 'accepted', order };
  } catch (error) {
    // Another order already holds this reference: the first one stands; nothing is lost or doubled.
    if (error instanceof IdempotencyConflictError) return { outcome: 'conflict' };
    throw error;
  }
}
