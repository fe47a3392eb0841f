import { getOrder, OrderNotFoundError } from './get-order.use-case';
import { placeOrder } from './place-order.use-case';
import { InMemoryOrders } from './testing/in-memory-orders';

const request = {
  items: [{ productId: 'p1', quantity: 2 }],
  payment: { method: 'card' as const, token: 'tok_approved' as const },
};

function deps() {
  let n = 0;
  return {
    orders: new InMemoryOrders(),
    newId: () => `o${++n}`,
    now: () => new Date('2026-11-22T12:00:00Z'),
  };
}

describe('placeOrder', () => {
  it('stores the order as RECEIVED together with its OrderPlaced event', async () => {
    // Prepare
    const d = deps();
    // Act
    const { order } = await placeOrder(d, { customerId: 'c1', request, correlationId: 'corr-1' });
    // Assess
    expect(order.status).toBe('RECEIVED');
    expect(d.orders.orders.get(order.orderId)).toEqual(order);
    expect(d.orders.outbox).toHaveLength(1);
    expect(d.orders.outbox[0]).toMatchObject({
      type: 'OrderPlaced',
      correlationId: 'corr-1',
      data: { orderId: order.orderId, customerId: 'c1', items: request.items },
    });
  });

  it('returns the first order for the same key and body, and makes no second one', async () => {
    // Prepare
    const d = deps();
    const first = await placeOrder(d, {
      customerId: 'c1',
      request,
      idempotencyKey: 'k1',
      correlationId: 'a',
    });
    // Act
    const again = await placeOrder(d, {
      customerId: 'c1',
      request,
      idempotencyKey: 'k1',
      correlationId: 'b',
    });
    // Assess
    expect(again).toEqual({ order: first.order, replayed: true });
    expect(d.orders.orders.size).toBe(1);
    expect(d.orders.outbox).toHaveLength(1);
  });

  it('refuses the same key with another body', async () => {
    // Prepare
    const d = deps();
    await placeOrder(d, { customerId: 'c1', request, idempotencyKey: 'k1', correlationId: 'a' });
    const other = { ...request, items: [{ productId: 'p1', quantity: 3 }] };
    // Act + Assess
    await expect(
      placeOrder(d, { customerId: 'c1', request: other, idempotencyKey: 'k1', correlationId: 'b' }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'IdempotencyConflictError',
        message: 'Idempotency-Key k1 was already used with another request',
      }),
    );
    expect(d.orders.orders.size).toBe(1);
  });

  it('scopes keys per customer', async () => {
    // Prepare
    const d = deps();
    await placeOrder(d, { customerId: 'c1', request, idempotencyKey: 'k1', correlationId: 'a' });
    // Act
    const { replayed } = await placeOrder(d, {
      customerId: 'c2',
      request,
      idempotencyKey: 'k1',
      correlationId: 'b',
    });
    // Assess
    expect(replayed).toBe(false);
    expect(d.orders.orders.size).toBe(2);
  });
});

describe('getOrder', () => {
  it('shows a customer their own order, hides it from others, and shows it to admins', async () => {
    // Prepare
    const d = deps();
    const { order } = await placeOrder(d, { customerId: 'c1', request, correlationId: 'a' });
    // Act + Assess
    await expect(getOrder(d, order.orderId, { customerId: 'c1', isAdmin: false })).resolves.toEqual(order);
    await expect(getOrder(d, order.orderId, { customerId: 'c2', isAdmin: false })).rejects.toThrow(
      OrderNotFoundError,
    );
    await expect(getOrder(d, order.orderId, { customerId: 'admin', isAdmin: true })).resolves.toEqual(order);
  });
});
