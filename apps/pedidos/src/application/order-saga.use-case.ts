import {
  newEvent,
  type DomainEvent,
  type StockReservationFailedV1,
  type StockReservedV1,
} from '@order-platform/contracts';
import { orderTotal, transition, type Order } from '../domain/order';
import type { OrderRepository, PaymentGateway } from './ports';

export interface SagaDeps {
  orders: OrderRepository;
  payments: PaymentGateway;
  now: () => Date;
}

const MAX_ATTEMPTS = 5;
const trace = (order: Order, cause: DomainEvent) => ({
  correlationId: order.correlationId,
  causationId: cause.id,
});

export class OrderChangedConcurrentlyError extends Error {
  constructor(readonly orderId: string) {
    super(`Order ${orderId} kept changing while being updated`);
    this.name = 'OrderChangedConcurrentlyError';
  }
}

/** Re-reads and re-decides until the optimistic write holds; `decide` returns nothing when there is nothing to do. */
async function withOrder(
  deps: SagaDeps,
  orderId: string,
  decide: (order: Order) => Promise<{ order: Order; events: DomainEvent[] } | undefined>,
): Promise<Order | undefined> {
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const current = await deps.orders.get(orderId);
    if (!current) throw new Error(`Order ${orderId} not found`);
    const next = await decide(current);
    if (!next) return current;
    if (await deps.orders.update(next.order, next.events)) return next.order;
  }
  throw new OrderChangedConcurrentlyError(orderId);
}

/**
 * Stock is reserved for an order:
 * 1. RECEIVED → PROCESSING with the authoritative prices and total (OrderProcessing);
 * 2. charges the payment (idempotent per order);
 * 3. PROCESSING → COMPLETED (OrderCompleted), or → CANCELLED on a declined payment (OrderCancelled, which
 *    makes produtos release the stock). An order cancelled meanwhile is left alone.
 */
export async function onStockReserved(deps: SagaDeps, event: StockReservedV1): Promise<Order | undefined> {
  const { orderId, items } = event.data;
  const processing = await withOrder(deps, orderId, async (order) => {
    if (order.status !== 'RECEIVED') return undefined;
    const priced = order.items.map((line) => ({
      ...line,
      unitPrice: items.find((i) => i.productId === line.productId)?.unitPrice ?? line.unitPrice,
    }));
    const next = {
      ...transition(order, 'StockReserved', deps.now()),
      items: priced,
      total: orderTotal(priced),
    };
    const processingEvent = newEvent(
      'OrderProcessing',
      'pedidos',
      {
        orderId,
        customerId: order.customerId,
        items: priced.map((l) => ({ ...l, unitPrice: l.unitPrice! })),
        total: next.total,
      },
      trace(order, event),
    );
    return { order: next, events: [processingEvent] };
  });
  if (!processing || processing.status !== 'PROCESSING') return processing;

  const payment = await deps.payments.charge({
    orderId,
    amount: processing.total!,
    currency: 'BRL',
    method: processing.payment.method,
    token: processing.payment.token,
  });
  return withOrder(deps, orderId, async (order) => {
    if (order.status !== 'PROCESSING') return undefined;
    if (payment.status === 'approved') {
      const next = transition(order, 'PaymentApproved', deps.now());
      const completed = newEvent(
        'OrderCompleted',
        'pedidos',
        {
          orderId,
          customerId: order.customerId,
          customerEmail: order.customerEmail,
          items: order.items.map((l) => ({ ...l, unitPrice: l.unitPrice! })),
          total: order.total!,
          currency: 'BRL',
          completedAt: deps.now().toISOString(),
        },
        trace(order, event),
      );
      return { order: next, events: [completed] };
    }
    const reason = `Payment declined: ${payment.reason}`;
    const next = transition(order, 'PaymentDeclined', deps.now(), reason);
    const cancelled = newEvent(
      'OrderCancelled',
      'pedidos',
      {
        orderId,
        customerId: order.customerId,
        reason,
        stockReserved: true,
        items: order.items.map(({ productId, quantity }) => ({ productId, quantity })),
      },
      trace(order, event),
    );
    return { order: next, events: [cancelled] };
  });
}

/** Stock could not be reserved: RECEIVED → REJECTED with the lines that could not be served (OrderRejected). */
export async function onStockReservationFailed(
  deps: SagaDeps,
  event: StockReservationFailedV1,
): Promise<Order | undefined> {
  return withOrder(deps, event.data.orderId, async (order) => {
    if (order.status !== 'RECEIVED') return undefined;
    const reason = `Out of stock: ${event.data.unavailable
      .map((u) => `${u.productId} (asked ${u.requested}, available ${u.available})`)
      .join(', ')}`;
    const next = transition(order, 'StockReservationFailed', deps.now(), reason);
    return {
      order: next,
      events: [
        newEvent(
          'OrderRejected',
          'pedidos',
          { orderId: order.orderId, customerId: order.customerId, reason },
          trace(order, event),
        ),
      ],
    };
  });
}
