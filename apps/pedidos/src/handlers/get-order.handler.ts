import { httpHandler, NotFoundError } from '@order-platform/lambda-kit';
import { OrderIdParams } from '@order-platform/contracts';
import { getOrder, OrderNotFoundError } from '../application/get-order.use-case';
import { orders } from '../composition';
import { orderView } from './order-view';

/** `GET /orders/{id}`: the owner's or, for admins, anyone's order; someone else's is 404. */
export const handler = httpHandler({ params: OrderIdParams, auth: 'any' }, async ({ params, principal }) => {
  try {
    const order = await getOrder({ orders: orders() }, params.id, {
      customerId: principal!.sub,
      isAdmin: principal!.groups.includes('admins'),
    });
    return { status: 200, body: orderView(order) };
  } catch (error) {
    if (error instanceof OrderNotFoundError) throw new NotFoundError(error.message);
    throw error;
  }
});
