import type { Order } from '../domain/order';
import type { OrderRepository } from './ports';

export class OrderNotFoundError extends Error {
  constructor(readonly orderId: string) {
    super(`Order ${orderId} not found`);
    this.name = 'OrderNotFoundError';
  }
}

export interface Viewer {
  customerId: string;
  isAdmin: boolean;
}

/**
 * Reads one order for a viewer: admins see every order, a customer only their own. Someone else's order
 * is reported as not found, so its existence is not revealed.
 */
export async function getOrder(
  deps: { orders: OrderRepository },
  orderId: string,
  viewer: Viewer,
): Promise<Order> {
  const order = await deps.orders.get(orderId);
  if (!order || (!viewer.isAdmin && order.customerId !== viewer.customerId))
    throw new OrderNotFoundError(orderId);
  return order;
}

/**
 * One page of orders for a viewer, newest first: a customer's own orders, or for admins every order;
 * optionally of one status (admins' filter reads the status index, so pages are full). A `nextToken` the repository
 * did not issue is refused by it (a 400).
 */
export async function listOrders(
  deps: { orders: OrderRepository },
  viewer: Viewer,
  page: { limit: number; nextToken?: string; status?: string },
): Promise<{ items: Order[]; nextToken?: string }> {
  return deps.orders.list(
    { customerId: viewer.isAdmin ? undefined : viewer.customerId, status: page.status },
    page.limit,
    page.nextToken,
  );
}
