import type { Partner, PartnerRegistry } from './ports';
import { mergeLines, ordersOfMessage, takePartnerOrder } from './partner-intake.use-case';
import { InMemoryOrders } from './testing/in-memory-orders';

const farmacia: Partner = {
  partnerId: 'farmacia',
  name: 'Farmácia',
  status: 'ACTIVE',
  customerId: 'partner:farmacia',
  email: 'compras@farmacia.example.com',
  apiKeyId: 'key-1',
};
const registry = (partner: Partner | undefined): PartnerRegistry => ({
  byApiKey: async (id) => (partner?.apiKeyId === id ? partner : undefined),
  byId: async () => partner,
  register: async () => true,
  setStatus: async () => undefined,
  orderFor: async () => undefined,
});
const deliverTo = { name: 'Loja 12', city: 'Campinas', state: 'SP' };
let n = 0;
const deps = (orders: InMemoryOrders, partner: Partner | undefined = farmacia) => ({
  orders,
  partners: registry(partner),
  newId: () => `o${++n}`,
  now: () => new Date('2026-11-23T10:00:00Z'),
});

describe('partner intake', () => {
  it('admits each order of a batch on its own: a bad one is REJECTED under its reference, the rest go on', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    const message = {
      orders: [
        { partnerOrderRef: 'A-1', items: [{ sku: 'CAFE-500G', quantity: 1 }], deliverTo },
        { partnerOrderRef: '   ', items: [{ sku: 'CAFE-500G', quantity: 1 }], deliverTo },
        { partnerOrderRef: 'A-3', items: [{ sku: 'CAFE-500G', quantity: 2 ** 60 }], deliverTo },
        {
          partnerOrderRef: 'A-4',
          items: [{ sku: 'CAFE-500G', quantity: 1 }],
          deliverTo: { a: { b: { c: {} } } },
        },
        { partnerOrderRef: 'A-5', items: [{ productId: 'prod-cha', quantity: 3 }], deliverTo },
      ],
    };
    // Act
    const results = [];
    for (const [i, entry] of ordersOfMessage(message).entries())
      results.push(await takePartnerOrder(deps(orders), 'key-1', entry, `c-${i}`, `invalid-m1-${i}`));
    // Assess
    expect(results.map((r) => [r.partnerOrderRef, r.outcome])).toEqual([
      ['A-1', 'accepted'],
      ['invalid-m1-1', 'rejected'],
      ['A-3', 'rejected'],
      ['A-4', 'rejected'],
      ['A-5', 'accepted'],
    ]);
    const rejected = [...orders.orders.values()].filter((o) => o.status === 'REJECTED');
    expect(rejected.map((o) => o.statusHistory.at(-1)!.reason)).toEqual([
      expect.stringMatching(/^Invalid order: partnerOrderRef/),
      expect.stringMatching(/items\.0\.quantity/),
      expect.stringMatching(/deliverTo/),
    ]);
    expect(rejected.every((o) => o.payment.status === 'VOIDED')).toBe(true);
    expect(orders.outbox.map((e) => e.type).sort()).toEqual([
      'OrderPlaced',
      'OrderPlaced',
      'OrderRejected',
      'OrderRejected',
      'OrderRejected',
    ]);
  });

  it('merges lines that name the same product, by SKU and by id', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    const entry = {
      partnerOrderRef: 'DUP-1',
      items: [
        { sku: 'CAFE-500G', quantity: 1 },
        { productId: 'prod-cafe-500g', quantity: 2 },
        { sku: 'cafe.500g', quantity: 4 },
      ],
      deliverTo,
    };
    // Act
    const result = await takePartnerOrder(deps(orders), 'key-1', entry, 'c', 'x');
    // Assess
    expect(result.outcome).toBe('accepted');
    expect(result.order!.items).toEqual([{ productId: 'prod-cafe-500g', quantity: 7 }]);
    expect(orders.outbox[0]).toMatchObject({
      data: { items: [{ productId: 'prod-cafe-500g', quantity: 7 }] },
    });
    expect(mergeLines([{ sku: 'A', quantity: 1 }])).toEqual([{ productId: 'prod-a', quantity: 1 }]);
  });

  it('keeps a partner reference for ever, and one reference makes one order', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    const entry = { partnerOrderRef: 'P-9', items: [{ sku: 'CAFE-500G', quantity: 1 }], deliverTo };
    const created = jest.spyOn(orders, 'create');
    // Act
    const first = await takePartnerOrder(deps(orders), 'key-1', entry, 'c', 'x');
    const again = await takePartnerOrder(deps(orders), 'key-1', entry, 'c', 'x');
    // Assess
    expect([first.outcome, again.outcome]).toEqual(['accepted', 'replayed']);
    expect(again.order!.orderId).toBe(first.order!.orderId);
    expect(created.mock.calls[0]![2]).toMatchObject({ key: 'PARTNER#farmacia#P-9', permanent: true });
  });

  it('rejects the orders of an unknown key or a disabled partner, naming why', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    const entry = { partnerOrderRef: 'Z-1', items: [{ sku: 'CAFE-500G', quantity: 1 }], deliverTo };
    // Act
    const unknown = await takePartnerOrder(deps(orders, undefined), 'key-x', entry, 'c', 'x');
    const disabled = await takePartnerOrder(
      deps(orders, { ...farmacia, status: 'DISABLED' }),
      'key-1',
      entry,
      'c',
      'x',
    );
    // Assess
    expect(unknown.order!.statusHistory.at(-1)!.reason).toBe('Unknown partner');
    expect(disabled.order!.statusHistory.at(-1)!.reason).toBe('Partner farmacia is disabled');
  });

  it('reads a message of one order, a batch, or anything else as entries', () => {
    expect(ordersOfMessage({ partnerOrderRef: 'a' })).toEqual([{ partnerOrderRef: 'a' }]);
    expect(ordersOfMessage({ orders: [1, 2] })).toEqual([1, 2]);
    expect(ordersOfMessage({ orders: [] })).toEqual([{ orders: [] }]);
    expect(ordersOfMessage(null)).toEqual([null]);
  });
});
