import { ConflictError, httpHandler, NotFoundError } from '@order-platform/lambda-kit';
import { OrderIdParams } from '@order-platform/contracts';
import { cancelOrder, OrderNotCancellableError } from '../application/cancel-order.use-case';
import { OrderNotFoundError } from '../application/get-order.use-case';
import { clock, orders } from '../composition';
import { orderView } from './order-view';

/** `POST /orders/{id}/cancel`: a cancel before completion, a withdrawal within 7 days after (409 later). */
export const handler = httpHandler({ params: OrderIdParams, auth: 'any' }, async ({ params, principal }) => {
  try {
    const order = await cancelOrder({ orders: orders(), now: clock.now }, params.id, {
      customerId: principal!.sub,
      isAdmin: principal!.groups.includes('admins'),
    });
    return { status: 200, body: orderView(order) };
  } catch (error) {
    if (error instanceof OrderNotFoundError) throw new NotFoundError(error.message);
    if (error instanceof OrderNotCancellableError) throw new ConflictError(error.message);
    throw error;
  }
});
