import { httpHandler } from '@order-platform/lambda-kit';
import { ListOrdersQuery } from '@order-platform/contracts';
import { listOrders } from '../application/get-order.use-case';
import { orders } from '../composition';
import { orderView } from './order-view';

/** `GET /orders`: the caller's orders, newest first; admins see every order and may filter by status. */
export const handler = httpHandler(
  {
    query: ListOrdersQuery,
    auth: 'any',
  },
  async ({ query, principal }) => {
    const viewer = { customerId: principal!.sub, isAdmin: principal!.groups.includes('admins') };
    const page = await listOrders({ orders: orders() }, viewer, query);
    return { status: 200, body: { items: page.items.map(orderView), nextToken: page.nextToken } };
  },
);
