import {
  newEvent,
  type DomainEvent,
  type StockReservationFailedV1,
  type StockReservedV1,
} from '@order-platform/contracts';
import { mayHoldCharge, orderTotal, transition, withPayment, type Order } from '../domain/order';
import type { OrderRepository, PaymentGateway, PaymentResult } from './ports';

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

/**
 * Re-reads and re-decides until the optimistic write holds; `decide` returns nothing when there is nothing
 * to do. `known`: the order as this invocation last wrote it, decided on first without a read (the write
 * is conditioned on its revision, so a change made meanwhile fails it and the order is read again).
 */
async function withOrder(
  deps: SagaDeps,
  orderId: string,
  decide: (order: Order) => Promise<{ order: Order; events: DomainEvent[] } | undefined>,
  known?: Order,
): Promise<Order | undefined> {
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const current = i === 0 && known ? structuredClone(known) : await deps.orders.get(orderId);
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
 * 3. PROCESSING → COMPLETED (OrderCompleted, payment CAPTURED), or → CANCELLED on a declined payment
 *    (OrderCancelled, which makes produtos release the stock; payment DECLINED);
 * 4. an order cancelled meanwhile keeps no money: what may have been charged is refunded (payment
 *    REFUNDED, or VOIDED when nothing was taken). A redelivery after a crash anywhere lands in the same place.
 */
export async function onStockReserved(deps: SagaDeps, event: StockReservedV1): Promise<Order | undefined> {
  const { orderId, items } = event.data;
  const processing = await withOrder(deps, orderId, async (order) => {
    if (order.status !== 'RECEIVED') return undefined;
    const priced = order.items.map((line) => {
      const sold = items.find((i) => i.productId === line.productId);
      return {
        ...line,
        unitPrice: sold?.unitPrice ?? line.unitPrice,
        ...(sold?.sku ? { sku: sold.sku } : {}),
        ...(sold?.name ? { name: sold.name } : {}),
      };
    });
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
        items: priced.map(({ productId, quantity, unitPrice }) => ({
          productId,
          quantity,
          unitPrice: unitPrice!,
        })),
        total: next.total,
      },
      trace(order, event),
    );
    return { order: next, events: [processingEvent] };
  });
  if (!processing) return processing;
  if (processing.status === 'CANCELLED') return refundIfCharged(deps, orderId);
  if (processing.status !== 'PROCESSING') return processing;

  // A PROCESSING order's payment is open, so it still holds its token (see withPayment).
  const token = processing.payment.token;
  if (!token) throw new Error(`Order ${orderId} is PROCESSING without a payment token to charge`);
  const payment = await deps.payments.charge({
    orderId,
    amount: processing.total!,
    currency: 'BRL',
    method: processing.payment.method,
    token,
  });
  const settled = await withOrder(
    deps,
    orderId,
    async (order) => {
      if (order.status !== 'PROCESSING') return undefined;
      if (payment.status === 'approved') {
        const next = withPayment(
          transition(order, 'PaymentApproved', deps.now()),
          'CAPTURED',
          payment.chargeId,
        );
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
            ...(order.deliveryAddress ? { deliveryAddress: order.deliveryAddress } : {}),
            ...(order.buyer ? { buyer: order.buyer } : {}),
            channel: order.channel,
          },
          trace(order, event),
        );
        return { order: next, events: [completed] };
      }
      const reason = `Payment declined: ${payment.reason}`;
      const next = withPayment(transition(order, 'PaymentDeclined', deps.now(), reason), 'DECLINED');
      const cancelled = newEvent(
        'OrderCancelled',
        'pedidos',
        {
          orderId,
          customerId: order.customerId,
          reason,
          stockReserved: true,
          channel: order.channel,
          items: order.items.map(({ productId, quantity }) => ({ productId, quantity })),
        },
        trace(order, event),
      );
      return { order: next, events: [cancelled] };
    },
    processing,
  );
  // Cancelled by the customer while the charge ran: the charge is given back.
  if (settled?.status === 'CANCELLED') return refundIfCharged(deps, orderId, payment);
  return settled;
}

/**
 * The compensation of a cancelled order that went through PROCESSING: refunds what the provider may have
 * charged (idempotent per order) and records it on the order. Nothing to do for any other order.
 */
export async function refundIfCharged(
  deps: SagaDeps,
  orderId: string,
  charge?: PaymentResult,
): Promise<Order | undefined> {
  const current = await deps.orders.get(orderId);
  if (!current || current.status !== 'CANCELLED' || !mayHoldCharge(current)) return current;
  const refund = await deps.payments.refund({
    orderId,
    method: current.payment.method,
    ...(current.payment.token ? { token: current.payment.token } : {}),
    amount: current.total,
    chargeId: current.payment.chargeId ?? (charge?.status === 'approved' ? charge.chargeId : undefined),
  });
  return withOrder(deps, orderId, async (order) => {
    if (!mayHoldCharge(order)) return undefined;
    const status = refund.status === 'refunded' ? 'REFUNDED' : 'VOIDED';
    return { order: { ...withPayment(order, status), revision: order.revision + 1 }, events: [] };
  });
}

/** Stock could not be reserved: RECEIVED → REJECTED with the lines that could not be served (OrderRejected). */
export async function onStockReservationFailed(
  deps: SagaDeps,
  event: StockReservationFailedV1,
): Promise<Order | undefined> {
  return withOrder(deps, event.data.orderId, async (order) => {
    if (order.status !== 'RECEIVED') return undefined;
    const reason =
      event.data.reason ??
      `Out of stock: ${event.data.unavailable
        .map((u) => `${u.productId} (asked ${u.requested}, available ${u.available})`)
        .join(', ')}`;
    const next = withPayment(transition(order, 'StockReservationFailed', deps.now(), reason), 'VOIDED');
    return {
      order: next,
      events: [
        newEvent(
          'OrderRejected',
          'pedidos',
          { orderId: order.orderId, customerId: order.customerId, reason, channel: order.channel },
          trace(order, event),
        ),
      ],
    };
  });
}
