import type { DomainEvent } from '@order-platform/contracts';
import type { OrderRepository, PartnerCallbacks, PartnerRegistry } from './ports';

const FINAL = new Set(['OrderCompleted', 'OrderRejected', 'OrderCancelled']);

/** What a partner receives when one of its orders reaches a final status. */
export interface PartnerCallbackBody {
  type: 'order.final';
  deliveryId: string;
  partnerOrderRef?: string;
  orderId: string;
  status: string;
  reason?: string;
  total?: number;
  currency: string;
  occurredAt: string;
}

/**
 * Tells a partner that one of its orders is final:
 * 1. only final order events of partner orders whose partner has a callback URL;
 * 2. the body names the order by the partner's reference and carries the status and, if any, the reason;
 * 3. the delivery id is the event id, so a partner can drop a repeated delivery;
 * 4. a refused delivery throws: the message comes back with backoff and, in the end, lands in the DLQ.
 */
export async function notifyPartner(
  deps: { orders: OrderRepository; partners: PartnerRegistry; callbacks: PartnerCallbacks },
  event: DomainEvent,
): Promise<'delivered' | 'skipped'> {
  if (!FINAL.has(event.type)) return 'skipped';
  const { orderId } = event.data as { orderId: string };
  const order = await deps.orders.get(orderId);
  if (!order || order.channel !== 'partner' || !order.partnerId) return 'skipped';
  const partner = await deps.partners.byId(order.partnerId);
  if (!partner?.callbackUrl || !partner.callbackSecret) return 'skipped';
  const last = order.statusHistory.at(-1);
  const body: PartnerCallbackBody = {
    type: 'order.final',
    deliveryId: event.id,
    ...(order.partnerOrderRef ? { partnerOrderRef: order.partnerOrderRef } : {}),
    orderId,
    status: order.status,
    ...(last?.reason ? { reason: last.reason } : {}),
    ...(order.total !== undefined ? { total: order.total } : {}),
    currency: order.currency,
    occurredAt: event.occurredAt,
  };
  await deps.callbacks.deliver(partner.callbackUrl, partner.callbackSecret, event.id, body);
  return 'delivered';
}
