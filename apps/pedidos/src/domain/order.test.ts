import {
  canTake,
  InvalidTransitionError,
  isFinal,
  orderTotal,
  receiveOrder,
  transition,
  TRANSITIONS,
} from './order';
import { placeOrderRequest, PlaceOrderRequest } from './order-request';

const at = new Date('2026-11-22T12:00:00Z');
const received = () =>
  receiveOrder(
    {
      orderId: 'o1',
      customerId: 'c1',
      channel: 'api',
      items: [{ productId: 'p1', quantity: 2 }],
      payment: { method: 'card', token: 'tok_approved' },
      correlationId: 'corr',
    },
    at,
  );

describe('order state machine', () => {
  it('walks the happy path RECEIVED → PROCESSING → COMPLETED, recording each step', () => {
    // Act
    const done = transition(transition(received(), 'StockReserved', at), 'PaymentApproved', at);
    // Assess
    expect(done.status).toBe('COMPLETED');
    expect(done.statusHistory.map((s) => s.status)).toEqual(['RECEIVED', 'PROCESSING', 'COMPLETED']);
    expect(done.revision).toBe(2);
  });

  it.each([
    ['RECEIVED', 'StockReservationFailed', 'REJECTED'],
    ['RECEIVED', 'CustomerCancelled', 'CANCELLED'],
    ['PROCESSING', 'PaymentDeclined', 'CANCELLED'],
    ['PROCESSING', 'CustomerCancelled', 'CANCELLED'],
  ] as const)('%s + %s → %s', (from, trigger, to) => {
    // Prepare
    const order = { ...received(), status: from };
    // Act + Assess
    expect(transition(order, trigger, at, 'why').status).toBe(to);
  });

  it('refuses an impossible transition and leaves the order as it was', () => {
    // Prepare
    const order = { ...received(), status: 'COMPLETED' as const };
    // Act + Assess
    expect(() => transition(order, 'CustomerCancelled', at)).toThrow(InvalidTransitionError);
    expect(order.status).toBe('COMPLETED');
    expect(canTake(order, 'PaymentApproved')).toBe(false);
  });

  it('has exactly the final statuses COMPLETED, REJECTED and CANCELLED', () => {
    expect(Object.keys(TRANSITIONS).filter((s) => isFinal(s as never))).toEqual([
      'COMPLETED',
      'REJECTED',
      'CANCELLED',
    ]);
  });

  it('totals priced lines in cents and refuses an unpriced line', () => {
    expect(
      orderTotal([
        { productId: 'a', quantity: 3, unitPrice: 1999 },
        { productId: 'b', quantity: 1, unitPrice: 1 },
      ]),
    ).toBe(5998);
    expect(() => orderTotal([{ productId: 'a', quantity: 1 }])).toThrow(/no price/);
  });
});

describe('PlaceOrderRequest', () => {
  const valid = {
    items: [{ productId: 'p1', quantity: 1 }],
    payment: { method: 'card', token: 'tok_approved' },
  };

  it('accepts a valid body', () => {
    expect(PlaceOrderRequest.safeParse(valid).success).toBe(true);
  });

  it.each([
    ['no items', { ...valid, items: [] }, 'items'],
    ['a zero quantity', { ...valid, items: [{ productId: 'p1', quantity: 0 }] }, 'items.0.quantity'],
    ['a fractional quantity', { ...valid, items: [{ productId: 'p1', quantity: 1.5 }] }, 'items.0.quantity'],
    [
      '51 lines',
      { ...valid, items: Array.from({ length: 51 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) },
      'items',
    ],
    [
      'a duplicate product',
      {
        ...valid,
        items: [
          { productId: 'p1', quantity: 1 },
          { productId: 'p1', quantity: 2 },
        ],
      },
      'items.1.productId',
    ],
    ['an unknown token', { ...valid, payment: { method: 'card', token: 'tok_other' } }, 'payment.token'],
  ])('refuses %s, naming the field', (_name, body, field) => {
    // Act
    const result = PlaceOrderRequest.safeParse(body);
    // Assess
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(field);
  });
});

describe('placeOrderRequest per payment provider', () => {
  it('takes the test tokens with the simulator and Stripe PaymentMethod ids with Stripe, nothing else', () => {
    // Prepare
    const body = (token: string) => ({
      items: [{ productId: 'a', quantity: 1 }],
      payment: { method: 'card', token },
    });
    // Act + Assess
    expect(placeOrderRequest('simulator').safeParse(body('tok_approved')).success).toBe(true);
    expect(placeOrderRequest('simulator').safeParse(body('pm_card_visa')).success).toBe(false);
    expect(placeOrderRequest('stripe').safeParse(body('pm_1PXyz')).success).toBe(true);
    expect(placeOrderRequest('stripe').safeParse(body('tok_approved')).success).toBe(false);
  });
});
