import type { OrderView } from '@order-platform/contracts';
import { paymentStatusOf, type Order } from '../domain/order';

/** The public shape of an order in the REST API. */
export function orderView(order: Order): OrderView {
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    status: order.status,
    channel: order.channel,
    ...(order.partnerId ? { partnerId: order.partnerId } : {}),
    ...(order.partnerOrderRef ? { partnerOrderRef: order.partnerOrderRef } : {}),
    ...(order.externalRef ? { externalRef: order.externalRef } : {}),
    items: order.items.map(({ productId, quantity, unitPrice, sku, name }) => ({
      productId,
      quantity,
      unitPrice,
      ...(sku ? { sku } : {}),
      ...(name ? { name } : {}),
    })),
    ...(order.deliveryAddress ? { deliveryAddress: order.deliveryAddress } : {}),
    total: order.total,
    currency: order.currency,
    // The method and where the money stands; the token never leaves the table.
    payment: { method: order.payment.method, status: paymentStatusOf(order) },
    createdAt: order.createdAt,
    statusHistory: order.statusHistory,
    ...(order.invoice ? { invoice: order.invoice } : {}),
  };
}
