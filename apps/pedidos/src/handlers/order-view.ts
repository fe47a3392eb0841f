import type { Order } from '../domain/order';

/** The public shape of an order in the REST API. */
export function orderView(order: Order) {
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    status: order.status,
    channel: order.channel,
    items: order.items.map(({ productId, quantity, unitPrice }) => ({ productId, quantity, unitPrice })),
    total: order.total,
    currency: order.currency,
    createdAt: order.createdAt,
    statusHistory: order.statusHistory,
    ...(order.invoice ? { invoice: order.invoice } : {}),
  };
}
