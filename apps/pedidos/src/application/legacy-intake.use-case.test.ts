import type { Order } from '../domain/order';
import { takeLegacyOrder, writeBackLegacyStatus, type LegacyStatusWriter } from './legacy-intake.use-case';
import { InMemoryOrders } from './testing/in-memory-orders';

let n = 0;
const deps = (orders: InMemoryOrders) => ({
  orders,
  newId: () => `o${++n}`,
  now: () => new Date('2026-12-06T10:00:00Z'),
});
const options = { schema: 'erp', table: 'pedidos', correlationId: 'legacy-1' };
/** A change as DMS writes it to Kinesis (the JSON column as text). */
const change = (data: Record<string, unknown>, operation = 'insert', table = 'pedidos') => ({
  data: {
    id: 1,
    numero: 'L-1',
    cliente_email: 'ana@example.com',
    itens: '[{"sku":"CAFE-500G","quantidade":2},{"sku":"cafe-500g","quantidade":1}]',
    status: 'NOVO',
    criado_em: '2026-12-06 10:00:00',
    ...data,
  },
  metadata: {
    timestamp: '2026-12-06T10:00:00.000000Z',
    'record-type': 'data',
    operation,
    'partition-key-type': 'primary-key',
    'schema-name': 'erp',
    'table-name': table,
    'transaction-id': 7,
  },
});

describe('legacy intake', () => {
  it('makes a new NOVO row an order of the legacy channel, its numero the external reference, lines merged', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    // Act
    const result = await takeLegacyOrder(deps(orders), change({}), options);
    // Assess
    expect(result.outcome).toBe('accepted');
    expect(result.order).toMatchObject({
      channel: 'legacy',
      externalRef: 'L-1',
      customerEmail: 'ana@example.com',
      customerId: 'legacy:ana@example.com',
      status: 'RECEIVED',
      items: [{ productId: 'prod-cafe-500g', quantity: 3 }],
      payment: { method: 'account' },
    });
    expect(orders.outbox.map((e) => [e.type, (e.data as { externalRef?: string }).externalRef])).toEqual([
      ['OrderPlaced', 'L-1'],
    ]);
  });

  it('makes one order of a change delivered twice, and of the full load seeing the same row', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    // Act
    const first = await takeLegacyOrder(deps(orders), change({}), options);
    const again = await takeLegacyOrder(deps(orders), change({}), options);
    const loaded = await takeLegacyOrder(deps(orders), change({}, 'load'), options);
    // Assess
    expect([first.outcome, again.outcome, loaded.outcome]).toEqual(['accepted', 'replayed', 'replayed']);
    expect(again.order?.orderId).toBe(first.order?.orderId);
    expect(orders.outbox.filter((e) => e.type === 'OrderPlaced')).toHaveLength(1);
  });

  it.each([
    ['itens that are not JSON', { itens: '[{sku' }, 'itens is not JSON'],
    ['itens of another shape', { itens: '[{"sku":"CAFE-500G","qty":2}]' }, 'itens.0.quantidade'],
    ['no items at all', { itens: '[]' }, 'at least one item'],
    ['a bad e-mail', { cliente_email: 'not-an-address' }, 'cliente_email'],
  ])('makes a row with %s a REJECTED order naming the reason, once', async (_case, data, reason) => {
    // Prepare
    const orders = new InMemoryOrders();
    // Act
    const result = await takeLegacyOrder(deps(orders), change(data), options);
    const again = await takeLegacyOrder(deps(orders), change(data), options);
    // Assess
    expect(result.outcome).toBe('rejected');
    expect(result.order).toMatchObject({ channel: 'legacy', externalRef: 'L-1', status: 'REJECTED' });
    expect(result.order!.statusHistory.at(-1)!.reason).toContain(reason);
    expect(again.outcome).toBe('replayed');
    expect(orders.outbox.map((e) => e.type)).toEqual(['OrderRejected']);
  });

  it.each([
    ['an update (the platform writing back its outcome)', change({ status: 'CONCLUIDO' }, 'update')],
    ['a delete', change({}, 'delete')],
    ['another table', change({}, 'insert', 'clientes')],
    ['a row loaded with a final status', change({ status: 'CONCLUIDO' }, 'load')],
    ['a control record', { ...change({}), metadata: { ...change({}).metadata, 'record-type': 'control' } }],
  ])('ignores %s, so write-backs never loop', async (_case, record) => {
    // Prepare
    const orders = new InMemoryOrders();
    // Act
    const result = await takeLegacyOrder(deps(orders), record, options);
    // Assess
    expect(result.outcome).toBe('ignored');
    expect(orders.outbox).toEqual([]);
  });

  it('fails what it cannot key (no numero) or read (not a DMS record), for the on-failure destination', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    // Act
    const noNumero = takeLegacyOrder(deps(orders), change({ numero: '' }), options);
    const notDms = takeLegacyOrder(deps(orders), { hello: 'world' }, options);
    // Assess
    await expect(noNumero).rejects.toThrow('without a usable numero');
    await expect(notDms).rejects.toThrow('Not a DMS change record');
    expect(orders.outbox).toEqual([]);
  });

  it('keeps the first order when a reused numero comes with other content', async () => {
    // Prepare
    const orders = new InMemoryOrders();
    await takeLegacyOrder(deps(orders), change({}), options);
    // Act
    const result = await takeLegacyOrder(
      deps(orders),
      change({ itens: '[{"sku":"CHA","quantidade":1}]' }),
      options,
    );
    // Assess
    expect(result.outcome).toBe('conflict');
    expect(orders.outbox).toHaveLength(1);
  });
});

describe('legacy write-back', () => {
  const writer = () => {
    const writes: [string, string][] = [];
    const legacy: LegacyStatusWriter = {
      write: async (numero, status) => {
        writes.push([numero, status]);
        return numero !== 'GONE';
      },
    };
    return { writes, legacy };
  };
  const order = (o: Partial<Order>) => ({
    get: async () => ({ channel: 'legacy', externalRef: 'L-1', ...o }) as Order,
  });

  it.each([
    ['COMPLETED', 'CONCLUIDO'],
    ['REJECTED', 'REJEITADO'],
    ['CANCELLED', 'CANCELADO'],
  ] as const)("writes a %s legacy order's outcome as %s to its row", async (status, legacyStatus) => {
    // Prepare
    const { writes, legacy } = writer();
    // Act
    const result = await writeBackLegacyStatus({ orders: order({ status }), legacy }, 'o1');
    // Assess
    expect(result).toBe('written');
    expect(writes).toEqual([['L-1', legacyStatus]]);
  });

  it('skips orders of other channels and orders not final, and says when the row is gone', async () => {
    // Prepare
    const { writes, legacy } = writer();
    // Act
    const api = await writeBackLegacyStatus(
      { orders: order({ channel: 'api', status: 'COMPLETED' }), legacy },
      'o1',
    );
    const open = await writeBackLegacyStatus({ orders: order({ status: 'PROCESSING' }), legacy }, 'o1');
    const gone = await writeBackLegacyStatus(
      { orders: order({ status: 'COMPLETED', externalRef: 'GONE' }), legacy },
      'o1',
    );
    // Assess
    expect([api, open, gone]).toEqual(['skipped', 'skipped', 'no-row']);
    expect(writes).toEqual([['GONE', 'CONCLUIDO']]);
  });
});
