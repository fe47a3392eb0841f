import { anEvent } from '@order-platform/testing';
import { registerPartnerRequest } from './manage-partners.use-case';
import type { Order } from '../domain/order';
import { notifyPartner } from './notify-partner.use-case';
import type { Partner, PartnerCallbacks, PartnerRegistry } from './ports';
import { InMemoryOrders } from './testing/in-memory-orders';

const partner: Partner = {
  partnerId: 'drogaria-sul',
  name: 'Drogaria Sul',
  status: 'ACTIVE',
  customerId: 'partner-drogaria-sul',
  apiKeyId: 'k1',
  callbackUrl: 'https://partner.example.com/orders',
  callbackSecret: 'sekret',
};

const partners = (p: Partner | undefined): PartnerRegistry => ({
  byApiKey: async () => p,
  byId: async (id) => (p?.partnerId === id ? p : undefined),
  register: async () => true,
  setStatus: async () => undefined,
  orderFor: async () => undefined,
});

function anOrder(overrides: Partial<Order> = {}): Order {
  return {
    orderId: 'ord-1',
    customerId: 'partner-drogaria-sul',
    channel: 'partner',
    partnerId: 'drogaria-sul',
    partnerOrderRef: 'PED-991',
    items: [{ productId: 'prod-x', quantity: 1, unitPrice: 650 }],
    payment: { method: 'account', token: 'drogaria-sul' },
    status: 'COMPLETED',
    total: 650,
    currency: 'BRL',
    statusHistory: [
      { status: 'RECEIVED', at: '2026-11-23T10:00:00.000Z' },
      { status: 'COMPLETED', at: '2026-11-23T10:00:02.000Z' },
    ],
    correlationId: 'c',
    createdAt: '2026-11-23T10:00:00.000Z',
    revision: 2,
    ...overrides,
  };
}

class Recording implements PartnerCallbacks {
  calls: { url: string; secret: string; id: string; body: unknown }[] = [];
  async deliver(url: string, secret: string, id: string, body: unknown) {
    this.calls.push({ url, secret, id, body });
  }
}

describe('notifyPartner', () => {
  it("posts a partner order's final status by the partner's reference, with the event id as delivery id", async () => {
    // Prepare
    const orders = new InMemoryOrders();
    orders.orders.set('ord-1', anOrder());
    const callbacks = new Recording();
    const event = anEvent('OrderCompleted', { data: { orderId: 'ord-1' } });
    // Act
    const outcome = await notifyPartner({ orders, partners: partners(partner), callbacks }, event);
    // Assess
    expect(outcome).toBe('delivered');
    expect(callbacks.calls).toEqual([
      {
        url: partner.callbackUrl,
        secret: 'sekret',
        id: event.id,
        body: {
          type: 'order.final',
          deliveryId: event.id,
          partnerOrderRef: 'PED-991',
          orderId: 'ord-1',
          status: 'COMPLETED',
          total: 650,
          currency: 'BRL',
          occurredAt: event.occurredAt,
        },
      },
    ]);
  });

  it('skips customer orders, partners without a callback and events that are not final', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    orders.orders.set('ord-1', anOrder());
    orders.orders.set('ord-api', anOrder({ orderId: 'ord-api', channel: 'api', partnerId: undefined }));
    const callbacks = new Recording();
    const noCallback = { ...partner, callbackUrl: undefined, callbackSecret: undefined };
    // Act
    const outcomes = [
      await notifyPartner(
        { orders, partners: partners(partner), callbacks },
        anEvent('OrderCompleted', { data: { orderId: 'ord-api' } }),
      ),
      await notifyPartner(
        { orders, partners: partners(noCallback), callbacks },
        anEvent('OrderCompleted', { data: { orderId: 'ord-1' } }),
      ),
      await notifyPartner(
        { orders, partners: partners(partner), callbacks },
        anEvent('OrderProcessing', { data: { orderId: 'ord-1' } }),
      ),
    ];
    // Assess
    expect(outcomes).toEqual(['skipped', 'skipped', 'skipped']);
    expect(callbacks.calls).toEqual([]);
  });
});

describe('registering a callback URL', () => {
  it('takes https to public hosts, and plain http to loopback only where the stage allows it', () => {
    // Prepare
    const strict = registerPartnerRequest({ allowLoopbackCallbacks: false });
    const local = registerPartnerRequest({ allowLoopbackCallbacks: true });
    const body = (callbackUrl: string) => ({
      partnerId: 'abc',
      name: 'A',
      email: 'a@example.com',
      billing: { legalName: 'A Ltda', taxId: '12345678000199' },
      callbackUrl,
    });
    // Act + Assess
    expect(strict.safeParse(body('https://hooks.example.com/x')).success).toBe(true);
    expect(strict.safeParse(body('http://127.0.0.1:8080/x')).success).toBe(false);
    expect(strict.safeParse(body('http://hooks.example.com/x')).success).toBe(false);
    expect(strict.safeParse(body('https://user:pw@hooks.example.com/x')).success).toBe(false);
    expect(local.safeParse(body('http://127.0.0.1:8080/x')).success).toBe(true);
  });
});
