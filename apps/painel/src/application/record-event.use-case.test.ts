import { anEvent } from '@order-platform/testing';
import { fanOut, readOncePerBatch, recordEvent } from './record-event.use-case';
import { InMemoryConnections, InMemoryDashboard, RecordingPusher } from './in-memory-ports';

const clock = { now: () => new Date('2026-11-23T12:00:00Z') };

function setup(gone: string[] = [], broken: string[] = []) {
  const dashboard = new InMemoryDashboard();
  const connections = new InMemoryConnections();
  const pusher = new RecordingPusher(new Set(gone), new Set(broken));
  const deps = {
    log: dashboard,
    orders: dashboard,
    alerts: dashboard,
    connections,
    pusher,
    lowStockThreshold: 5,
    clock,
  };
  return { dashboard, connections, pusher, deps };
}

describe('recordEvent', () => {
  it('keeps an event once, and pushes it to every admin once as { type, occurredAt, correlationId, data }', async () => {
    // Prepare
    const { dashboard, connections, pusher, deps } = setup();
    await connections.add({ connectionId: 'c1', userId: 'admin-1' });
    await connections.add({ connectionId: 'c2', userId: 'admin-2' });
    const event = anEvent('OrderCompleted');
    // Act
    const first = await recordEvent(deps, event);
    const second = await recordEvent(deps, event);
    // Assess
    expect(first).toEqual({ outcome: 'recorded', fanOut: { sent: 2, gone: 0, failed: 0, closed: 0 } });
    expect(second).toEqual({ outcome: 'duplicate' });
    expect([...dashboard.entries.keys()]).toEqual([event.id]);
    const expected = {
      type: 'OrderCompleted',
      occurredAt: event.occurredAt,
      correlationId: event.correlationId,
      data: event.data,
    };
    expect(pusher.received.get('c1')).toEqual([expected]);
    expect(pusher.received.get('c2')).toEqual([expected]);
  });

  it('moves an order forward only: a late OrderProcessing never takes a completed order back', async () => {
    // Prepare
    const { dashboard, deps } = setup();
    const orderId = 'ord-late';
    const at = (s: number) => new Date(Date.UTC(2026, 10, 23, 12, 0, s)).toISOString();
    const options = (s: number) => ({ id: `e-${s}`, occurredAt: at(s), data: { orderId } });
    // Act: placed, completed, then the processing event arrives last.
    await recordEvent(deps, anEvent('OrderPlaced', options(0)));
    await recordEvent(deps, anEvent('OrderCompleted', options(2)));
    await recordEvent(deps, anEvent('OrderProcessing', options(1)));
    // Assess
    expect(dashboard.orders.get(orderId)).toMatchObject({ status: 'COMPLETED', placedAt: at(0) });
    expect((await dashboard.timeline(orderId)).map((e) => e.type)).toEqual([
      'OrderPlaced',
      'OrderProcessing',
      'OrderCompleted',
    ]);
  });

  it('shows a withdrawal after completion as CANCELLED, which a late OrderCompleted does not undo', async () => {
    // Prepare
    const { dashboard, deps } = setup();
    const withdrawn = { orderId: 'ord-w', afterCompletion: true };
    // Act: completed, withdrawn, then a redelivered OrderCompleted.
    await recordEvent(deps, anEvent('OrderCompleted', { id: 'c1', data: { orderId: 'ord-w' } }));
    await recordEvent(deps, anEvent('OrderCancelled', { id: 'x1', data: withdrawn }));
    await recordEvent(deps, anEvent('OrderCompleted', { id: 'c2', data: { orderId: 'ord-w' } }));
    // Assess
    expect(dashboard.orders.get('ord-w')).toMatchObject({ status: 'CANCELLED' });
  });

  it('raises a stock alert at or below the threshold, and clears it when stock is back', async () => {
    // Prepare
    const { dashboard, deps } = setup();
    const update = (available: number, id: string) =>
      anEvent('ProductUpdated', { id, data: { productId: 'prod-x', available } });
    // Act / Assess
    await recordEvent(deps, update(5, 'e1'));
    expect(await dashboard.list()).toEqual([expect.objectContaining({ productId: 'prod-x', available: 5 })]);
    await recordEvent(deps, update(6, 'e2'));
    expect(await dashboard.list()).toEqual([]);
    await recordEvent(
      deps,
      anEvent('StockReserved', {
        data: { items: [{ productId: 'prod-y', quantity: 1, unitPrice: 100, availableAfter: 3 }] },
      }),
    );
    expect(await dashboard.list()).toEqual([
      expect.objectContaining({ productId: 'prod-y', available: 3, reason: 'low-stock' }),
    ]);
    await dashboard.clear('prod-y');
    await recordEvent(deps, anEvent('StockReservationFailed'));
    expect(await dashboard.list()).toEqual([
      expect.objectContaining({ productId: 'prod-cafe-500g', reason: 'reservation-failed' }),
    ]);
  });
});

describe('fanOut', () => {
  it('removes a gone connection and still delivers to the others, even when one push fails', async () => {
    // Prepare
    const { connections, pusher } = setup(['dead'], ['flaky']);
    for (const id of ['a', 'dead', 'flaky', 'b']) await connections.add({ connectionId: id, userId: id });
    const entry = {
      eventId: 'e',
      type: 'OrderPlaced',
      source: 'pedidos',
      occurredAt: '2026-11-23T10:00:00.000Z',
      correlationId: 'c',
      orderId: 'o',
      data: {},
    };
    // Act
    const result = await fanOut({ connections, pusher, clock }, entry);
    // Assess
    expect(result).toEqual({ sent: 2, gone: 1, failed: 1, closed: 0 });
    expect([...connections.byId.keys()]).toEqual(['a', 'flaky', 'b']);
    expect(pusher.received.get('a')).toHaveLength(1);
    expect(pusher.received.get('b')).toHaveLength(1);
  });

  it('sends a connection only the events its filter takes', async () => {
    // Prepare
    const { connections, pusher } = setup();
    await connections.add({ connectionId: 'types', userId: 'u', filter: { types: ['OrderCompleted'] } });
    await connections.add({ connectionId: 'order', userId: 'u', filter: { orderId: 'ord-1' } });
    const entry = (type: string, orderId: string) => ({
      eventId: `${type}-${orderId}`,
      type,
      source: 'pedidos',
      occurredAt: '2026-11-23T10:00:00.000Z',
      correlationId: 'c',
      orderId,
      data: {},
    });
    // Act
    await fanOut({ connections, pusher, clock }, entry('OrderPlaced', 'ord-1'));
    await fanOut({ connections, pusher, clock }, entry('OrderCompleted', 'ord-2'));
    // Assess
    expect((pusher.received.get('types') as { type: string }[]).map((m) => m.type)).toEqual([
      'OrderCompleted',
    ]);
    expect((pusher.received.get('order') as { type: string }[]).map((m) => m.type)).toEqual(['OrderPlaced']);
  });

  it('closes the connections whose token has expired instead of feeding them', async () => {
    // Prepare
    const { connections, pusher } = setup();
    const now = Math.floor(clock.now().getTime() / 1000);
    await connections.add({ connectionId: 'fresh', userId: 'u', tokenExpiresAt: now + 60 });
    await connections.add({ connectionId: 'stale', userId: 'u', tokenExpiresAt: now - 1 });
    await connections.add({ connectionId: 'legacy', userId: 'u' });
    const entry = {
      eventId: 'e2',
      type: 'OrderPlaced',
      source: 'pedidos',
      occurredAt: '2026-11-23T10:00:00.000Z',
      correlationId: 'c',
      orderId: 'o',
      data: {},
    };
    // Act
    const result = await fanOut({ connections, pusher, clock }, entry);
    // Assess
    expect(result).toEqual({ sent: 2, gone: 0, failed: 0, closed: 1 });
    expect(pusher.closed).toEqual(['stale']);
    expect([...connections.byId.keys()]).toEqual(['fresh', 'legacy']);
    expect(pusher.received.has('stale')).toBe(false);
  });
});

describe('readOncePerBatch', () => {
  it('reads the connections once per batch, drops a removed one at once, and reads again after forget', async () => {
    // Prepare
    const { connections, pusher, deps } = setup(['gone']);
    let reads = 0;
    const counting = Object.assign(Object.create(connections) as typeof connections, {
      all: async () => {
        reads += 1;
        return connections.all();
      },
    });
    const batch = readOncePerBatch(counting);
    await connections.add({ connectionId: 'c1', userId: 'admin-1' });
    await connections.add({ connectionId: 'gone', userId: 'admin-2' });
    const batchDeps = { ...deps, connections: batch };
    // Act: three events in one batch; an admin connects during it.
    await recordEvent(batchDeps, anEvent('OrderPlaced'));
    await connections.add({ connectionId: 'late', userId: 'admin-3' });
    await recordEvent(batchDeps, anEvent('OrderProcessing'));
    await recordEvent(batchDeps, anEvent('OrderCompleted'));
    const readsInBatch = reads;
    batch.forget();
    await recordEvent(batchDeps, anEvent('OrderCompleted'));
    // Assess
    expect(readsInBatch).toBe(1);
    expect(reads).toBe(2);
    expect(pusher.received.get('c1')).toHaveLength(4);
    expect(pusher.received.get('late')).toHaveLength(1);
    expect(pusher.received.has('gone')).toBe(false);
    expect([...connections.byId.keys()]).toEqual(['c1', 'late']);
  });

  it('does not keep a failed read: the next event reads again', async () => {
    // Prepare
    const { connections } = setup();
    let fail = true;
    const flaky = Object.assign(Object.create(connections) as typeof connections, {
      all: async () => {
        if (fail) throw new Error('throttled');
        return connections.all();
      },
    });
    const batch = readOncePerBatch(flaky);
    await connections.add({ connectionId: 'c1', userId: 'admin-1' });
    // Act
    await expect(batch.all()).rejects.toThrow('throttled');
    fail = false;
    // Assess
    await expect(batch.all()).resolves.toEqual([{ connectionId: 'c1', userId: 'admin-1' }]);
  });
});
