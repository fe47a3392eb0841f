import { newEvent } from '@order-platform/contracts';
import { canTake, transition, withPayment, type Order } from '../domain/order';
import { OrderNotFoundError, type Viewer } from './get-order.use-case';
import type { OrderRepository } from './ports';

export class OrderNotCancellableError extends Error {
  constructor(
    readonly orderId: string,
    readonly status: string,
  ) {
    super(`Order ${orderId} is ${status} and can no longer be cancelled`);
    this.name = 'OrderNotCancellableError';
  }
}

/**
 * The customer (or an admin) cancels an order before it completes:
 * 1. the order must be visible to the viewer (else not found);
 * 2. RECEIVED or PROCESSING → CANCELLED with OrderCancelled, on which produtos releases any reservation
 *    (a charge that ran meanwhile is refunded by the saga);
 * 3. a concurrent change (the order just completed) is re-read and decided again.
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
    if (!canTake(order, 'CustomerCancelled')) throw new OrderNotCancellableError(orderId, order.status);
    const reason =
      viewer.isAdmin && order.customerId !== viewer.customerId
        ? 'Cancelled by an admin'
        : 'Cancelled by the customer';
    // Before PROCESSING nothing was charged: the payment is void. During PROCESSING the saga may be
    // charging right now; it refunds whatever it took once it sees the order cancelled.
    const cancelled = transition(order, 'CustomerCancelled', deps.now(), reason);
    const next = order.status === 'RECEIVED' ? withPayment(cancelled, 'VOIDED') : cancelled;
    const event = newEvent(
      'OrderCancelled',
      'pedidos',
      {
        orderId,
        customerId: order.customerId,
        reason,
        stockReserved: order.status === 'PROCESSING',
        items: order.items.map(({ productId, quantity }) => ({ productId, quantity })),
      },
      { correlationId: order.correlationId },
    );
    if (await deps.orders.update(next, [event])) return next;
  }
  throw new Error(`Order ${orderId} kept changing while being cancelled`);
}
