import { newEvent } from '@order-platform/contracts';
import { cancelOrder, OrderNotCancellableError } from './cancel-order.use-case';
import { onStockReservationFailed, onStockReserved } from './order-saga.use-case';
import { placeOrder } from './place-order.use-case';
import type { PaymentGateway } from './ports';
import { InMemoryOrders } from './testing/in-memory-orders';

const now = () => new Date('2026-11-22T12:00:00Z');
const payments: PaymentGateway = {
  charge: async ({ token, orderId }) =>
    token === 'tok_approved'
      ? { status: 'approved', chargeId: `ch_${orderId}` }
      : { status: 'declined', reason: 'card declined' },
};

async function placed(orders: InMemoryOrders, token: 'tok_approved' | 'tok_declined' = 'tok_approved') {
  const { order } = await placeOrder(
    { orders, newId: () => 'o1', now },
    {
      customerId: 'c1',
      customerEmail: 'c1@example.com',
      request: {
        items: [
          { productId: 'a', quantity: 2 },
          { productId: 'b', quantity: 1 },
        ],
        payment: { method: 'card', token },
      },
      correlationId: 'corr-1',
    },
  );
  return order;
}

const reserved = newEvent(
  'StockReserved',
  'produtos',
  {
    orderId: 'o1',
    items: [
      { productId: 'a', quantity: 2, unitPrice: 500 },
      { productId: 'b', quantity: 1, unitPrice: 990 },
    ],
  },
  { correlationId: 'corr-1' },
);

describe('order saga', () => {
  it('prices, charges and completes an order once stock is reserved, publishing each step', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    await placed(orders);
    // Act
    const order = await onStockReserved({ orders, payments, now }, reserved);
    // Assess
    expect(order).toMatchObject({ status: 'COMPLETED', total: 1990 });
    expect(orders.outbox.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderProcessing', 'OrderCompleted']);
    expect(orders.outbox.every((e) => e.correlationId === 'corr-1')).toBe(true);
    expect(orders.outbox[2]).toMatchObject({
      causationId: reserved.id,
      data: { total: 1990, customerEmail: 'c1@example.com' },
    });
  });

  it('cancels on a declined payment and asks produtos to release the stock', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    await placed(orders, 'tok_declined');
    // Act
    const order = await onStockReserved({ orders, payments, now }, reserved);
    // Assess
    expect(order!.status).toBe('CANCELLED');
    expect(order!.statusHistory.at(-1)!.reason).toMatch(/declined/);
    expect(orders.outbox.at(-1)).toMatchObject({ type: 'OrderCancelled', data: { stockReserved: true } });
  });

  it('changes nothing on a duplicated StockReserved', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    await placed(orders);
    await onStockReserved({ orders, payments, now }, reserved);
    // Act
    await onStockReserved({ orders, payments, now }, reserved);
    // Assess
    expect(orders.outbox).toHaveLength(3);
  });

  it('rejects an order whose stock could not be reserved, naming the lines', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    await placed(orders);
    const failed = newEvent(
      'StockReservationFailed',
      'produtos',
      { orderId: 'o1', unavailable: [{ productId: 'b', requested: 1, available: 0 }] },
      { correlationId: 'corr-1' },
    );
    // Act
    const order = await onStockReservationFailed({ orders, payments, now }, failed);
    // Assess
    expect(order!.status).toBe('REJECTED');
    expect(order!.statusHistory.at(-1)!.reason).toContain('b (asked 1, available 0)');
    expect(orders.outbox.at(-1)!.type).toBe('OrderRejected');
  });

  it('leaves an order the customer cancelled meanwhile alone', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    await placed(orders);
    await cancelOrder({ orders, now }, 'o1', { customerId: 'c1', isAdmin: false });
    // Act
    const order = await onStockReserved({ orders, payments, now }, reserved);
    // Assess
    expect(order!.status).toBe('CANCELLED');
    expect(orders.outbox.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderCancelled']);
  });

  it('re-decides when the order changed under it: a cancel that loses to completion is refused', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    await placed(orders);
    await onStockReserved({ orders, payments, now }, reserved);
    // Act + Assess
    await expect(cancelOrder({ orders, now }, 'o1', { customerId: 'c1', isAdmin: false })).rejects.toThrow(
      OrderNotCancellableError,
    );
  });

  it('retries a transition after a concurrent write', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    await placed(orders);
    orders.beforeNextUpdate = () => {
      const o = orders.orders.get('o1')!;
      orders.orders.set('o1', { ...o, revision: o.revision + 1 });
    };
    // Act
    const order = await onStockReserved({ orders, payments, now }, reserved);
    // Assess
    expect(order!.status).toBe('COMPLETED');
  });
});
