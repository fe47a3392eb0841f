import { BadRequestError, ConflictError, httpHandler, parseConfig } from '@order-platform/lambda-kit';
import { IdempotencyConflictError, placeOrder } from '../application/place-order.use-case';
import * as z from '@order-platform/contracts/zod';
import { placeOrderRequest, type PlaceOrderRequest } from '../domain/order-request';
import { clock, orders } from '../composition';
import { orderView } from './order-view';

/** `POST /orders`: validates, stores the order as RECEIVED with its OrderPlaced event, answers 202 at once. */
export async function placeOrderRoute(request: {
  body: PlaceOrderRequest;
  headers: Record<string, string>;
  principal?: { sub: string; email?: string };
  correlationId: string;
}) {
  const idempotencyKey = request.headers['idempotency-key'] || undefined;
  if (idempotencyKey !== undefined && !/^[\w.:-]{1,128}$/.test(idempotencyKey)) {
    // A malformed key is the caller's mistake (400), not a conflict with an earlier request.
    throw new BadRequestError('Invalid Idempotency-Key', [
      {
        field: 'header.Idempotency-Key',
        message: '1-128 letters, digits, dots, colons, dashes or underscores',
      },
    ]);
  }
  try {
    const { order, replayed } = await placeOrder(
      { orders: orders(), ...clock },
      {
        customerId: request.principal!.sub,
        customerEmail: request.principal!.email,
        request: request.body,
        idempotencyKey,
        correlationId: request.correlationId,
      },
    );
    return {
      status: 202,
      headers: {
        Location: `/orders/${order.orderId}`,
        ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}),
      },
      body: orderView(order),
    };
  } catch (error) {
    if (error instanceof IdempotencyConflictError) throw new ConflictError(error.message);
    throw error;
  }
}

const { PAYMENT_PROVIDER } = parseConfig(
  z.object({ PAYMENT_PROVIDER: z._default(z.enum(['simulator', 'stripe']), 'simulator') }),
);

export const handler = httpHandler(
  { body: placeOrderRequest(PAYMENT_PROVIDER), auth: 'any' },
  placeOrderRoute,
);
