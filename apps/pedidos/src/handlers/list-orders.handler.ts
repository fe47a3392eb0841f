import { httpHandler } from '@order-platform/lambda-kit';
import * as z from 'zod';
import { listOrders } from '../application/get-order.use-case';
import { ORDER_STATUSES } from '../domain/order';
import { orders } from '../composition';
import { orderView } from './order-view';

/** `GET /orders`: the caller's orders, newest first; admins see every order and may filter by status. */
export const handler = httpHandler(
  {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(20),
      nextToken: z.string().min(1).max(2048).optional(),
      status: z.enum(ORDER_STATUSES).optional(),
    }),
    auth: 'any',
  },
  async ({ query, principal }) => {
    const viewer = { customerId: principal!.sub, isAdmin: principal!.groups.includes('admins') };
    const page = await listOrders({ orders: orders() }, viewer, query);
    return { status: 200, body: { items: page.items.map(orderView), nextToken: page.nextToken } };
  },
);
