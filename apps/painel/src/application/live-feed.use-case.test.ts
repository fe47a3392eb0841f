import { anEvent } from '@order-platform/testing';
import { handleClientMessage, snapshot } from './live-feed.use-case';
import { recordEvent } from './record-event.use-case';
import { InMemoryConnections, InMemoryDashboard, RecordingPusher } from './in-memory-ports';

const NOW = new Date('2026-11-23T12:00:30.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

async function setup() {
  const dashboard = new InMemoryDashboard();
  const connections = new InMemoryConnections();
  const pusher = new RecordingPusher();
  const deps = {
    log: dashboard,
    orders: dashboard,
    alerts: dashboard,
    connections,
    pusher,
    clock: { now: () => NOW },
  };
  const record = { ...deps, lowStockThreshold: 5 };
  // Three orders this last hour (one completed), one two hours ago, one two days ago.
  const placed = [
    ['ord-a', 0],
    ['ord-b', 0],
    ['ord-c', 10],
    ['ord-d', 120],
    ['ord-old', 48 * 60],
  ] as const;
  for (const [orderId, ago] of placed)
    await recordEvent(
      record,
      anEvent('OrderPlaced', { id: `p-${orderId}`, occurredAt: minutesAgo(ago), data: { orderId } }),
    );
  await recordEvent(
    record,
    anEvent('OrderCompleted', { id: 'done-a', occurredAt: minutesAgo(0), data: { orderId: 'ord-a' } }),
  );
  await recordEvent(
    record,
    anEvent('ProductUpdated', {
      id: 'low',
      occurredAt: minutesAgo(1),
      data: { productId: 'prod-low', available: 2 },
    }),
  );
  await connections.add({ connectionId: 'me', userId: 'admin' });
  return { dashboard, connections, pusher, deps };
}

describe('snapshot', () => {
  it('counts the last 24 hours of orders by status, per minute over the last hour, with alerts and events', async () => {
    // Prepare
    const { deps } = await setup();
    // Act
    const picture = await snapshot(deps);
    // Assess
    expect(picture.ordersByStatus).toEqual({
      RECEIVED: 3,
      PROCESSING: 0,
      COMPLETED: 1,
      REJECTED: 0,
      CANCELLED: 0,
    });
    expect(picture.ordersPerMinute).toHaveLength(60);
    expect(picture.ordersPerMinute[59]).toBe(2);
    expect(picture.ordersPerMinute[49]).toBe(1);
    expect(picture.ordersPerMinute.reduce((a, b) => a + b, 0)).toBe(3);
    expect(picture.stockAlerts).toEqual([expect.objectContaining({ productId: 'prod-low', available: 2 })]);
    expect(picture.recentEvents).toHaveLength(7);
    expect(picture.recentEvents[0]!.occurredAt >= picture.recentEvents[6]!.occurredAt).toBe(true);
    expect(picture.recentOrders.map((o) => o.orderId)).not.toContain('ord-old');
  });
});

describe('handleClientMessage', () => {
  it('narrows the feed on subscribe, answers snapshot and timeline, and names the field of a bad message', async () => {
    // Prepare
    const { connections, pusher, deps } = await setup();
    // Act
    await handleClientMessage(deps, 'me', { action: 'subscribe', types: ['OrderCompleted'] });
    await handleClientMessage(deps, 'me', { action: 'snapshot' });
    await handleClientMessage(deps, 'me', { action: 'timeline', orderId: 'ord-a' });
    await handleClientMessage(deps, 'me', { action: 'timeline' });
    await handleClientMessage(deps, 'me', { action: 'subscribe' });
    // Assess
    const [subscribed, picture, timeline, error, widened] = pusher.received.get('me') as Record<
      string,
      unknown
    >[];
    expect(subscribed).toEqual({ type: 'subscribed', filter: { types: ['OrderCompleted'] } });
    expect(picture).toMatchObject({ type: 'snapshot' });
    expect(timeline).toMatchObject({ type: 'timeline', orderId: 'ord-a' });
    expect((timeline!['events'] as { type: string }[]).map((e) => e.type)).toEqual([
      'OrderPlaced',
      'OrderCompleted',
    ]);
    expect(error).toMatchObject({ type: 'error', errors: [expect.objectContaining({ field: 'orderId' })] });
    expect(widened).toEqual({ type: 'subscribed', filter: {} });
    expect(connections.byId.get('me')!.filter).toBeUndefined();
  });
});

describe('a message the feed cannot take', () => {
  it('refuses a filter on a type the feed never carries, and names a message that is not JSON', async () => {
    // Prepare
    const { connections, pusher, deps } = await setup();
    await handleClientMessage(deps, 'me', { action: 'subscribe', types: ['OrderCompleted'] });
    // Act
    await handleClientMessage(deps, 'me', { action: 'subscribe', types: ['OrderCompleted', 'OrderShipped'] });
    await handleClientMessage(deps, 'me', undefined);
    await handleClientMessage(deps, 'me', {
      action: 'subscribe',
      types: ['OperatorAction', 'StockReleased'],
    });
    // Assess
    const [, unknownType, notJson, known] = pusher.received.get('me') as Record<string, unknown>[];
    expect(unknownType).toMatchObject({ type: 'error', errors: [{ field: 'types.1' }] });
    expect(notJson).toEqual({
      type: 'error',
      message: 'Unknown or invalid message',
      errors: [{ field: '(message)', message: 'not JSON: send {"action": "..."}' }],
    });
    expect(known).toEqual({ type: 'subscribed', filter: { types: ['OperatorAction', 'StockReleased'] } });
    expect(connections.byId.get('me')!.filter).toEqual({ types: ['OperatorAction', 'StockReleased'] });
  });
});

describe('an order trace', () => {
  it("asks for the traces of the order's correlation ids around its events, and sends their spans", async () => {
    // Prepare
    const { deps, pusher } = await setup();
    await recordEvent(
      { ...deps, lowStockThreshold: 5 },
      anEvent('OrderCompleted', {
        id: 'done-b',
        occurredAt: minutesAgo(0),
        correlationId: 'corr-b2',
        data: { orderId: 'ord-b' },
      }),
    );
    const asked: { ids: string[]; from: Date; to: Date }[] = [];
    const span = (id: string, start: number) => ({
      traceId: 't',
      id,
      name: id,
      origin: 'AWS::Lambda::Function',
      start,
      end: start + 1,
      depth: 0,
      error: false,
      fault: false,
    });
    const traces = {
      spans: async (ids: string[], from: Date, to: Date) => {
        asked.push({ ids, from, to });
        return [span('a', 1), span('b', 2)];
      },
    };
    // Act
    await handleClientMessage({ ...deps, traces }, 'me', { action: 'trace', orderId: 'ord-b' });
    await handleClientMessage({ ...deps, traces }, 'me', { action: 'trace', orderId: 'ord-unknown' });
    // Assess
    expect(asked).toHaveLength(1);
    expect(asked[0]!.ids.sort()).toEqual(
      [
        ...new Set(
          [...deps.log.entries.values()].filter((e) => e.orderId === 'ord-b').map((e) => e.correlationId),
        ),
      ].sort(),
    );
    expect(asked[0]!.ids).toContain('corr-b2');
    expect(asked[0]!.from.getTime()).toBe(NOW.getTime() - 60_000);
    expect(asked[0]!.to.getTime()).toBe(NOW.getTime() + 600_000);
    expect(pusher.received.get('me')!.filter((m) => (m as { type: string }).type === 'trace')).toEqual([
      { type: 'trace', orderId: 'ord-b', spans: [span('a', 1), span('b', 2)], truncated: false },
      { type: 'trace', orderId: 'ord-unknown', spans: [], truncated: false },
    ]);
  });
});
