import { newEvent } from '@order-platform/contracts';
import { cancelOrder, OrderNotCancellableError } from './cancel-order.use-case';
import { onStockReservationFailed, onStockReserved, refundIfCharged } from './order-saga.use-case';
import { placeOrder } from './place-order.use-case';
import type { PaymentGateway } from './ports';
import { InMemoryOrders } from './testing/in-memory-orders';

const now = () => new Date('2026-11-22T12:00:00Z');
const payments: PaymentGateway = {
  charge: async ({ token, orderId }) =>
    token === 'tok_approved'
      ? { status: 'approved', chargeId: `ch_${orderId}` }
      : { status: 'declined', reason: 'card declined' },
  refund: async ({ orderId, chargeId }) =>
    chargeId ? { status: 'refunded', refundId: `re_${orderId}` } : { status: 'not-charged' },
};

/** A provider that records charges and refunds, and can run something in the middle of a charge. */
function recordingProvider(duringCharge?: () => Promise<void>) {
  const charges: string[] = [];
  const refunds: string[] = [];
  let failRefunds = 0;
  const gateway: PaymentGateway = {
    charge: async (request) => {
      await duringCharge?.();
      charges.push(request.orderId);
      return { status: 'approved', chargeId: `ch_${request.orderId}` };
    },
    refund: async ({ orderId }) => {
      if (failRefunds-- > 0) throw new Error('provider timed out');
      if (!charges.includes(orderId)) return { status: 'not-charged' };
      if (!refunds.includes(orderId)) refunds.push(orderId);
      return { status: 'refunded', refundId: `re_${orderId}` };
    },
  };
  return { gateway, charges, refunds, failNextRefunds: (n: number) => (failRefunds = n) };
}

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

  it('reads the order once: after the charge it decides on the order it wrote, as its revision guards it', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    await placed(orders);
    let reads = 0;
    const get = orders.get.bind(orders);
    orders.get = async (id: string) => {
      reads += 1;
      return get(id);
    };
    // Act
    const order = await onStockReserved({ orders, payments, now }, reserved);
    // Assess
    expect(order!.status).toBe('COMPLETED');
    expect(reads).toBe(1);
    expect(orders.orders.get('o1')).toMatchObject({ status: 'COMPLETED', revision: 2 });
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

  it('turns a cancel after completion into a withdrawal, refunded once on its OrderCancelled', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    await placed(orders);
    const provider = recordingProvider();
    await onStockReserved({ orders, payments: provider.gateway, now }, reserved);
    // Act
    const withdrawn = await cancelOrder({ orders, now }, 'o1', { customerId: 'c1', isAdmin: false });
    const again = await cancelOrder({ orders, now }, 'o1', { customerId: 'c1', isAdmin: false });
    const settled = await refundIfCharged({ orders, payments: provider.gateway, now }, 'o1');
    await refundIfCharged({ orders, payments: provider.gateway, now }, 'o1');
    // Assess
    expect(withdrawn).toMatchObject({ status: 'CANCELLED', payment: { status: 'CAPTURED' } });
    expect(withdrawn.statusHistory.at(-1)!.reason).toBe('Withdrawn by the customer after completion');
    expect(again.revision).toBe(withdrawn.revision);
    expect(orders.outbox.map((e) => e.type)).toEqual([
      'OrderPlaced',
      'OrderProcessing',
      'OrderCompleted',
      'OrderCancelled',
    ]);
    expect(orders.outbox.at(-1)!.data).toMatchObject({ afterCompletion: true, stockReserved: true });
    expect(settled).toMatchObject({ status: 'CANCELLED', payment: { status: 'REFUNDED' } });
    expect(provider.refunds).toEqual(['o1']);
  });

  it('refuses a withdrawal once its 7-day period has ended', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    await placed(orders);
    await onStockReserved({ orders, payments, now }, reserved);
    const later = (days: number) => () => new Date(now().getTime() + days * 86_400_000);
    // Act + Assess
    await expect(
      cancelOrder({ orders, now: later(7) }, 'o1', { customerId: 'c1', isAdmin: false }),
    ).rejects.toThrow(new OrderNotCancellableError('o1', 'COMPLETED', 'its withdrawal period has ended'));
    expect(orders.orders.get('o1')!.status).toBe('COMPLETED');
    await expect(
      cancelOrder({ orders, now: later(6.9) }, 'o1', { customerId: 'c1', isAdmin: false }),
    ).resolves.toMatchObject({ status: 'CANCELLED' });
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

  it('records where the money stands: CAPTURED, DECLINED, VOIDED', async () => {
    // Prepare
    const completed = new InMemoryOrders();
    const declined = new InMemoryOrders();
    const early = new InMemoryOrders();
    await placed(completed);
    await placed(declined, 'tok_declined');
    await placed(early);
    // Act
    await onStockReserved({ orders: completed, payments, now }, reserved);
    await onStockReserved({ orders: declined, payments, now }, reserved);
    await cancelOrder({ orders: early, now }, 'o1', { customerId: 'c1', isAdmin: false });
    // Assess
    expect(completed.orders.get('o1')!.payment).toMatchObject({ status: 'CAPTURED', chargeId: 'ch_o1' });
    expect(declined.orders.get('o1')!.payment.status).toBe('DECLINED');
    expect(early.orders.get('o1')!.payment.status).toBe('VOIDED');
  });

  it('keeps the payment token only while the charge is open', async () => {
    // Prepare
    const completed = new InMemoryOrders();
    const declined = new InMemoryOrders();
    const early = new InMemoryOrders();
    for (const [orders, token] of [
      [completed, 'tok_approved'],
      [declined, 'tok_declined'],
      [early, 'tok_approved'],
    ] as const)
      expect((await placed(orders, token)).payment).toMatchObject({ token, status: 'PENDING' });
    // Act
    await onStockReserved({ orders: completed, payments, now }, reserved);
    await onStockReserved({ orders: declined, payments, now }, reserved);
    await cancelOrder({ orders: early, now }, 'o1', { customerId: 'c1', isAdmin: false });
    // Assess
    for (const orders of [completed, declined, early]) {
      expect(orders.orders.get('o1')!.payment).not.toHaveProperty('token');
      expect(JSON.stringify(orders.orders.get('o1'))).not.toContain('tok_');
    }
  });

  it('charges nothing and fails the message when a PROCESSING order holds no token to charge', async () => {
    // Prepare: an order stored without its token (none of the platform's writes leaves one so).
    const orders = new InMemoryOrders();
    await placed(orders);
    delete orders.orders.get('o1')!.payment.token;
    const provider = recordingProvider();
    // Act
    const handling = onStockReserved({ orders, payments: provider.gateway, now }, reserved);
    // Assess: the message fails (retried, then parked in the DLQ); no charge is attempted.
    await expect(handling).rejects.toThrow(/PROCESSING without a payment token/);
    expect(provider.charges).toEqual([]);
    expect(orders.orders.get('o1')!.status).toBe('PROCESSING');
  });

  it('refunds a withdrawn order by its charge once the token is gone', async () => {
    // Prepare: a completed order (its token dropped), then withdrawn by the customer.
    const orders = new InMemoryOrders();
    await placed(orders);
    const refunds: { chargeId?: string; token?: string }[] = [];
    const gateway: PaymentGateway = {
      ...payments,
      refund: async (request) => {
        refunds.push({ chargeId: request.chargeId, token: request.token });
        return payments.refund(request);
      },
    };
    await onStockReserved({ orders, payments: gateway, now }, reserved);
    await cancelOrder({ orders, now }, 'o1', { customerId: 'c1', isAdmin: false });
    // Act
    const order = await refundIfCharged({ orders, payments: gateway, now }, 'o1');
    // Assess
    expect(order).toMatchObject({ status: 'CANCELLED', payment: { status: 'REFUNDED', chargeId: 'ch_o1' } });
    expect(refunds).toEqual([{ chargeId: 'ch_o1', token: undefined }]);
  });

  it('refunds a charge that a customer cancel raced: the order ends CANCELLED and REFUNDED', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    await placed(orders);
    const provider = recordingProvider(async () => {
      await cancelOrder({ orders, now }, 'o1', { customerId: 'c1', isAdmin: false });
    });
    // Act
    const order = await onStockReserved({ orders, payments: provider.gateway, now }, reserved);
    // Assess
    expect(order).toMatchObject({ status: 'CANCELLED', payment: { status: 'REFUNDED' } });
    expect(provider.charges).toEqual(['o1']);
    expect(provider.refunds).toEqual(['o1']);
    expect(orders.outbox.map((e) => e.type)).not.toContain('OrderCompleted');
  });

  it('refunds on redelivery when the process died after the charge and the customer cancelled before the retry', async () => {
    // Prepare: the charge went through, then the process died before recording it.
    const orders = new InMemoryOrders();
    await placed(orders);
    const provider = recordingProvider();
    orders.beforeNextUpdate = () => undefined;
    const crashing = {
      ...provider.gateway,
      charge: async (r: Parameters<PaymentGateway['charge']>[0]) => {
        await provider.gateway.charge(r);
        throw new Error('sandbox died');
      },
    };
    await expect(onStockReserved({ orders, payments: crashing, now }, reserved)).rejects.toThrow(
      'sandbox died',
    );
    await cancelOrder({ orders, now }, 'o1', { customerId: 'c1', isAdmin: false });
    // Act: the message comes back.
    const order = await onStockReserved({ orders, payments: provider.gateway, now }, reserved);
    // Assess
    expect(order).toMatchObject({ status: 'CANCELLED', payment: { status: 'REFUNDED' } });
    expect(provider.refunds).toEqual(['o1']);
  });

  it('retries a refund the provider failed, and refunds once however often the event comes', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    await placed(orders);
    const provider = recordingProvider(async () => {
      await cancelOrder({ orders, now }, 'o1', { customerId: 'c1', isAdmin: false });
    });
    provider.failNextRefunds(1);
    // Act
    await expect(onStockReserved({ orders, payments: provider.gateway, now }, reserved)).rejects.toThrow(
      'provider timed out',
    );
    const stranded = structuredClone(orders.orders.get('o1')!);
    await onStockReserved({ orders, payments: provider.gateway, now }, reserved);
    await onStockReserved({ orders, payments: provider.gateway, now }, reserved);
    // Assess
    expect(stranded.payment.status).toBe('PENDING');
    expect(orders.orders.get('o1')!.payment.status).toBe('REFUNDED');
    expect(provider.refunds).toEqual(['o1']);
  });

  it('voids the payment of a rejected order', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    await placed(orders);
    const failed = newEvent(
      'StockReservationFailed',
      'produtos',
      {
        orderId: 'o1',
        unavailable: [{ productId: 'b', requested: 1, available: 0 }],
        reason: 'Duplicate lines',
      },
      { correlationId: 'corr-1' },
    );
    // Act
    const order = await onStockReservationFailed({ orders, payments, now }, failed);
    // Assess
    expect(order).toMatchObject({ status: 'REJECTED', payment: { status: 'VOIDED' } });
    expect(order!.statusHistory.at(-1)!.reason).toBe('Duplicate lines');
  });

  it('carries the lines as sold, the delivery address and the buyer into OrderCompleted', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    const shippingAddress = { street: 'Rua A', city: 'Campinas', state: 'SP', postalCode: '13010-000' };
    await placeOrder(
      { orders, newId: () => 'o1', now },
      {
        customerId: 'c1',
        customerEmail: 'c1@example.com',
        request: {
          items: [{ productId: 'a', quantity: 2 }],
          payment: { method: 'card', token: 'tok_approved' },
          shippingAddress,
        },
        correlationId: 'corr-1',
      },
    );
    const sold = newEvent(
      'StockReserved',
      'produtos',
      { orderId: 'o1', items: [{ productId: 'a', quantity: 2, unitPrice: 500, sku: 'A-1', name: 'Arroz' }] },
      { correlationId: 'corr-1' },
    );
    // Act
    const order = await onStockReserved({ orders, payments, now }, sold);
    // Assess
    expect(order!.items).toEqual([
      { productId: 'a', quantity: 2, unitPrice: 500, sku: 'A-1', name: 'Arroz' },
    ]);
    expect(orders.outbox.at(-1)).toMatchObject({
      type: 'OrderCompleted',
      data: {
        items: [{ productId: 'a', sku: 'A-1', name: 'Arroz' }],
        deliveryAddress: shippingAddress,
        buyer: { email: 'c1@example.com' },
      },
    });
  });
});
