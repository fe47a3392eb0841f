import { newEvent } from '@order-platform/contracts';
import { canTake, transition, withdrawalEndsAt, withPayment, type Order } from '../domain/order';
import { OrderNotFoundError, type Viewer } from './get-order.use-case';
import type { OrderRepository } from './ports';

export class OrderNotCancellableError extends Error {
  constructor(
    readonly orderId: string,
    readonly status: string,
    detail = 'can no longer be cancelled',
  ) {
    super(`Order ${orderId} is ${status} and ${detail}`);
    this.name = 'OrderNotCancellableError';
  }
}

/**
 * The customer (or an admin) cancels an order, or withdraws from it once completed:
 * 1. the order must be visible to the viewer (else not found);
 * 2. RECEIVED or PROCESSING → CANCELLED with OrderCancelled, on which produtos releases any reservation
 *    (a charge that ran meanwhile is refunded by the saga);
 * 3. COMPLETED, within the withdrawal period → CANCELLED with OrderCancelled (`afterCompletion`), on which
 *    pedidos refunds the charge, produtos returns the units to stock and faturas cancels the invoice;
 *    after the period: refused (409);
 * 4. a concurrent change (the order just completed) is re-read and decided again.
 */
export async function cancelOrder(
  deps: { orders: OrderRepository; now: () => Date },
  orderId: string,
  viewer: Viewer,
): Promise<Order> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const order = await deps.orders.get(orderId);
    if (!order || (!viewer.isAdmin && order.customerId !== viewer.customerId))
      throw new OrderNotFoundError(orderId);
    if (order.status === 'CANCELLED') return order;
    const withdrawal = order.status === 'COMPLETED';
    const trigger = withdrawal ? 'CustomerWithdrew' : 'CustomerCancelled';
    if (!canTake(order, trigger)) throw new OrderNotCancellableError(orderId, order.status);
    if (withdrawal && deps.now() >= withdrawalEndsAt(order)!)
      throw new OrderNotCancellableError(orderId, order.status, 'its withdrawal period has ended');
    const by = viewer.isAdmin && order.customerId !== viewer.customerId ? 'an admin' : 'the customer';
    const reason = withdrawal ? `Withdrawn by ${by} after completion` : `Cancelled by ${by}`;
    // Before PROCESSING nothing was charged: the payment is void. During PROCESSING the saga may be
    // charging right now; it refunds whatever it took once it sees the order cancelled. After completion
    // the charge stays CAPTURED until pedidos' inbox hears this OrderCancelled and refunds it.
    const cancelled = transition(order, trigger, deps.now(), reason);
    const next = order.status === 'RECEIVED' ? withPayment(cancelled, 'VOIDED') : cancelled;
    const event = newEvent(
      'OrderCancelled',
      'pedidos',
      {
        orderId,
        customerId: order.customerId,
        reason,
        stockReserved: order.status !== 'RECEIVED',
        items: order.items.map(({ productId, quantity }) => ({ productId, quantity })),
        ...(withdrawal ? { afterCompletion: true } : {}),
        channel: order.channel,
      },
      { correlationId: order.correlationId },
    );
    if (await deps.orders.update(next, [event])) return next;
  }
  throw new Error(`Order ${orderId} kept changing while being cancelled`);
}
