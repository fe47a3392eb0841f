import type { DeadLetterMessage, DeadLetterQueueState } from '../domain/operations';
import { InMemoryConnections, InMemoryDashboard, RecordingPusher } from './in-memory-ports';
import { handleOperation, type OperationsDeps } from './operations.use-case';
import type { DeadLetterQueues, OutboxReplays } from './ports';

const DLQ = 'OrderPlatform-local-Pedidos-InboxDlq94EF58D2';
const ASYNC_DLQ = 'OrderPlatform-local-Pedidos-PlaceOrderAsyncDlq5233C972';
const PARTNER_DLQ = 'OrderPlatform-local-Pedidos-PartnerCallbacksDlq280B22B9';

/** DLQs in memory: messages per queue; a redrive moves them to `redriven`. */
class FakeQueues implements DeadLetterQueues {
  readonly messages = new Map<string, DeadLetterMessage[]>();
  readonly redriven: { from: string; to: string; body: string }[] = [];
  constructor(private readonly sources: Record<string, string>) {}
  async list(named?: string): Promise<DeadLetterQueueState[]> {
    const prefix = 'OrderPlatform-local-';
    return [DLQ, ASYNC_DLQ, PARTNER_DLQ]
      .filter((name) => !named || name.startsWith(`${prefix}${named}`))
      .map((name) => ({
        name,
        url: `http://sqs/${name}`,
        depth: this.messages.get(name)?.length ?? 0,
        inFlight: 0,
        sources: this.sources[name] ? [this.sources[name]] : [],
      }));
  }
  async peek(queue: DeadLetterQueueState, max: number) {
    return (this.messages.get(queue.name) ?? []).slice(0, max);
  }
  async redrive(queue: DeadLetterQueueState, source: string, messageId?: string) {
    const all = this.messages.get(queue.name) ?? [];
    const take = all.filter((m) => !messageId || m.messageId === messageId);
    this.messages.set(
      queue.name,
      all.filter((m) => !take.includes(m)),
    );
    for (const m of take) this.redriven.push({ from: queue.name, to: source, body: m.body });
    return take.length;
  }
}

const dead = (messageId: string, orderId: string): DeadLetterMessage => ({
  messageId,
  body: JSON.stringify({ type: 'OrderPlaced', data: { orderId } }),
  sentAt: Date.parse('2026-12-06T11:00:00Z'),
  receiveCount: 5,
  attributes: {},
});

function setup() {
  const queues = new FakeQueues({ [DLQ]: 'http://sqs/inbox', [PARTNER_DLQ]: 'http://sqs/callbacks' });
  const dashboard = new InMemoryDashboard();
  const connections = new InMemoryConnections();
  const pusher = new RecordingPusher();
  const replayed: string[] = [];
  const replays: OutboxReplays = {
    async replay(orderId) {
      replayed.push(orderId);
      return [
        { service: 'pedidos', events: [{ eventId: 'e1', type: 'OrderPlaced' }] },
        { service: 'faturas', error: 'throttled' },
      ];
    },
  };
  const deps: OperationsDeps = {
    queues,
    replays,
    quotas: { usedToday: async () => ({ p1: { used: 3, limit: 10_000 } }) },
    orders: dashboard,
    log: dashboard,
    connections,
    pusher,
    clock: { now: () => new Date('2026-12-06T12:00:00Z') },
    newId: () => 'action-1',
  };
  return { deps, queues, dashboard, connections, pusher, replayed };
}

describe('the operations use case', () => {
  it('lists the DLQs holding messages first, each with its messages read', async () => {
    // Prepare
    const { deps, queues } = setup();
    queues.messages.set(DLQ, [dead('m1', 'o-1')]);
    // Act
    const answer = (await handleOperation(deps, 'c1', { action: 'ops.queues' })) as {
      queues: { name: string; depth: number; messages: { orderId?: string }[] }[];
    };
    // Assess
    expect(answer.queues.map((q) => [q.name, q.depth])).toEqual([
      [DLQ, 1],
      [PARTNER_DLQ, 0],
      [ASYNC_DLQ, 0],
    ]);
    expect(answer.queues[0]!.messages).toEqual([
      expect.objectContaining({ orderId: 'o-1', eventType: 'OrderPlaced' }),
    ]);
  });

  it('redrives one message to its source and audits who asked, as a feed entry', async () => {
    // Prepare
    const { deps, queues, dashboard, connections, pusher } = setup();
    queues.messages.set(DLQ, [dead('m1', 'o-1'), dead('m2', 'o-2')]);
    await connections.add({ connectionId: 'c1', userId: 'admin-sub', email: 'admin@example.com' });
    // Act
    await handleOperation(deps, 'c1', { action: 'ops.redrive', queue: DLQ, messageId: 'm2' });
    // Assess
    expect(queues.redriven).toEqual([
      { from: DLQ, to: 'http://sqs/inbox', body: expect.stringContaining('o-2') },
    ]);
    expect(queues.messages.get(DLQ)!.map((m) => m.messageId)).toEqual(['m1']);
    expect(pusher.received.get('c1')).toEqual([
      expect.objectContaining({ type: 'ops.redriven', queue: DLQ, moved: 1, messageId: 'm2' }),
    ]);
    expect([...dashboard.entries.values()]).toEqual([
      expect.objectContaining({
        type: 'OperatorAction',
        source: 'painel',
        data: expect.objectContaining({
          action: 'redrive',
          by: { userId: 'admin-sub', email: 'admin@example.com' },
          queue: DLQ,
          moved: 1,
        }),
      }),
    ]);
  });

  it('refuses to redrive an unknown queue or one nothing sends to, and an invalid message, moving nothing', async () => {
    // Prepare
    const { deps, queues, dashboard } = setup();
    queues.messages.set(ASYNC_DLQ, [dead('m1', 'o-1')]);
    // Act
    const unknown = await handleOperation(deps, 'c1', { action: 'ops.redrive', queue: 'elsewhere' });
    const noSource = await handleOperation(deps, 'c1', { action: 'ops.redrive', queue: ASYNC_DLQ });
    const invalid = await handleOperation(deps, 'c1', { action: 'ops.redrive' });
    const notJson = await handleOperation(deps, 'c1', undefined);
    // Assess
    expect(notJson).toMatchObject({ type: 'error', errors: [{ field: '(message)' }] });
    expect(unknown).toMatchObject({ type: 'error', errors: [{ field: 'queue' }] });
    expect(noSource).toMatchObject({ type: 'error', message: expect.stringMatching(/outbox:replay/) });
    expect(invalid).toMatchObject({ type: 'error', errors: [{ field: 'queue' }] });
    expect(queues.redriven).toEqual([]);
    expect(dashboard.entries.size).toBe(0);
  });

  it("replays one order's outbox in every service, reports each outcome and audits it", async () => {
    // Prepare
    const { deps, dashboard, connections, replayed } = setup();
    await connections.add({ connectionId: 'c1', userId: 'admin-sub' });
    // Act
    const answer = await handleOperation(deps, 'c1', { action: 'ops.replay', orderId: 'o-9' });
    // Assess
    expect(replayed).toEqual(['o-9']);
    expect(answer).toMatchObject({
      type: 'ops.replayed',
      orderId: 'o-9',
      replayed: 1,
      results: [{ service: 'pedidos' }, { service: 'faturas', error: 'throttled' }],
    });
    expect([...dashboard.entries.values()]).toEqual([
      expect.objectContaining({
        type: 'OperatorAction',
        orderId: 'o-9',
        data: expect.objectContaining({ action: 'replay', replayed: 1, by: { userId: 'admin-sub' } }),
      }),
    ]);
  });

  it('tells the admin when a dependency fails, instead of leaving the page without an answer', async () => {
    // Prepare
    const { deps, pusher, dashboard } = setup();
    deps.queues.list = async () => {
      throw new Error('SQS throttled');
    };
    // Act
    await handleOperation(deps, 'c1', { action: 'ops.queues' });
    // Assess
    expect(pusher.received.get('c1')).toEqual([
      { type: 'error', message: 'ops.queues failed: SQS throttled', errors: [] },
    ]);
    expect(dashboard.entries.size).toBe(0);
  });

  it("lists stuck orders and each partner's day, dead callbacks counted by the order's partner", async () => {
    // Prepare
    const { deps, queues, dashboard } = setup();
    const change = (orderId: string, status: 'RECEIVED' | 'COMPLETED', at: string, partnerId?: string) =>
      dashboard.apply({ orderId, status, rank: status === 'RECEIVED' ? 0 : 2, at, placedAt: at, partnerId });
    await change('o-1', 'RECEIVED', '2026-12-06T11:00:00Z');
    await change('o-2', 'COMPLETED', '2026-12-06T11:00:00Z', 'p1');
    queues.messages.set(PARTNER_DLQ, [dead('m1', 'o-2')]);
    // Act
    const stuck = (await handleOperation(deps, 'c1', { action: 'ops.stuck', olderThanMinutes: 30 })) as {
      orders: { orderId: string }[];
    };
    const partners = await handleOperation(deps, 'c1', { action: 'ops.partners' });
    // Assess
    expect(stuck.orders.map((o) => o.orderId)).toEqual(['o-1']);
    expect(partners).toMatchObject({
      type: 'ops.partners',
      partners: [
        {
          partnerId: 'p1',
          ordersToday: 1,
          completedToday: 1,
          callbackFailures: 1,
          quota: { used: 3, limit: 10_000 },
        },
      ],
    });
  });
});
