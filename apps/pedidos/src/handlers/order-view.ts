import { paymentStatusOf, type Order } from '../domain/order';

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
    // The method and where the money stands; the token never leaves the table.
    payment: { method: order.payment.method, status: paymentStatusOf(order) },
    createdAt: order.createdAt,
    statusHistory: order.statusHistory,
    ...(order.invoice ? { invoice: order.invoice } : {}),
  };
}
