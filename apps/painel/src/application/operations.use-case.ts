import { OutboxReplayRequest } from '@order-platform/lambda-kit';
import * as z from '@order-platform/contracts/zod';
import { messageErrors } from './message-errors';
import {
  deadLetterQueueView,
  partnerStats,
  stuckOrders,
  type DeadLetterQueueState,
} from '../domain/operations';
import type {
  Clock,
  Connections,
  DeadLetterQueues,
  EventLog,
  OrderBoard,
  OutboxReplays,
  PartnerQuotas,
  Pusher,
} from './ports';

/** What an admin may ask of the operations view (the WebSocket API routes on `action`). */
export const OperationMessage = z.discriminatedUnion('action', [
  z.object({ action: z.literal('ops.queues') }),
  z.object({
    action: z.literal('ops.redrive'),
    queue: z.string().check(z.minLength(1), z.maxLength(256)),
    /** One message; without it, every message of the queue. */
    messageId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  }),
  z.object({
    action: z.literal('ops.stuck'),
    olderThanMinutes: z._default(z.number().check(z.int(), z.gte(1), z.lte(24 * 60)), 15),
  }),
  z.object({ action: z.literal('ops.partners') }),
  z.object({
    action: z.literal('ops.replay'),
    orderId: z.string().check(z.minLength(1), z.maxLength(100)),
    /** Records younger than this are left to the stream publisher (60 s by default). */
    olderThanSeconds: OutboxReplayRequest.shape.olderThanSeconds,
  }),
]);
export type OperationMessage = z.infer<typeof OperationMessage>;

export interface OperationsDeps {
  queues: DeadLetterQueues;
  replays: OutboxReplays;
  quotas: PartnerQuotas;
  orders: OrderBoard;
  log: EventLog;
  connections: Connections;
  pusher: Pusher;
  clock: Clock;
  newId(): string;
}

/** Messages read per DLQ for the view (one SQS receive). */
export const PEEK = 10;

const DAY = 24 * 3600_000;

async function queuesView(deps: OperationsDeps) {
  const now = deps.clock.now();
  const queues = await deps.queues.list();
  const views = await Promise.all(
    queues.map(async (q) => deadLetterQueueView(q, q.depth > 0 ? await deps.queues.peek(q, PEEK) : [], now)),
  );
  // The ones holding messages first, then by service and name.
  views.sort((a, b) => Number(b.depth > 0) - Number(a.depth > 0) || a.name.localeCompare(b.name));
  return { type: 'ops.queues', at: now.toISOString(), queues: views };
}

async function partnersView(deps: OperationsDeps) {
  const now = deps.clock.now();
  const [orders, queues, quotas] = await Promise.all([
    deps.orders.placedSince(new Date(now.getTime() - DAY).toISOString()),
    deps.queues.list('Pedidos-PartnerCallbacksDlq'),
    deps.quotas.usedToday(now),
  ]);
  // Dead callbacks name an order; the board knows its partner.
  const partnerOf = new Map(orders.filter((o) => o.partnerId).map((o) => [o.orderId, o.partnerId!]));
  const failures: Record<string, number> = {};
  for (const q of queues.filter((q) => q.depth > 0)) {
    const view = deadLetterQueueView(q, await deps.queues.peek(q, PEEK), now);
    for (const m of view.messages) {
      const partnerId = m.orderId ? partnerOf.get(m.orderId) : undefined;
      if (partnerId) failures[partnerId] = (failures[partnerId] ?? 0) + 1;
    }
  }
  return {
    type: 'ops.partners',
    at: now.toISOString(),
    partners: partnerStats(orders, failures, now, quotas),
  };
}

/**
 * Redrives a DLQ (one message or all) back to the queue its redrive policy names, and audits it: the
 * action, who asked (the admin who opened the connection) and what moved become an `OperatorAction` entry
 * of the feed, so every admin sees it and it stays in painel's log.
 */
/** Records an operator's action in painel's log (the feed): what, by whom, with what outcome. */
async function audit(deps: OperationsDeps, connectionId: string, data: Record<string, unknown>) {
  const who = await deps.connections.get(connectionId);
  const at = deps.clock.now().toISOString();
  const actionId = deps.newId();
  await deps.log.record({
    eventId: actionId,
    type: 'OperatorAction',
    source: 'painel',
    occurredAt: at,
    correlationId: actionId,
    ...(typeof data['orderId'] === 'string' ? { orderId: data['orderId'] } : {}),
    data: { ...data, by: { userId: who?.userId ?? 'unknown', ...(who?.email ? { email: who.email } : {}) } },
  });
  return { at, actionId };
}

/** Asks every service to republish one order's unpublished outbox records (the outbox replay), audited. */
async function replay(deps: OperationsDeps, connectionId: string, orderId: string, olderThanSeconds: number) {
  const results = await deps.replays.replay(orderId, olderThanSeconds);
  const replayed = results.reduce((n, r) => n + ('events' in r ? r.events.length : 0), 0);
  const { at, actionId } = await audit(deps, connectionId, { action: 'replay', orderId, replayed, results });
  return { type: 'ops.replayed', at, actionId, orderId, replayed, results };
}

async function redrive(
  deps: OperationsDeps,
  connectionId: string,
  request: { queue: string; messageId?: string },
) {
  const queue: DeadLetterQueueState | undefined = (await deps.queues.list()).find(
    (q) => q.name === request.queue,
  );
  if (!queue)
    return {
      type: 'error',
      message: `No dead-letter queue ${request.queue}`,
      errors: [{ field: 'queue', message: 'not a DLQ of this stage' }],
    };
  const source = queue.sources[0];
  if (!source)
    return {
      type: 'error',
      message: `Nothing sends to ${request.queue} through a redrive policy: its records are replayed from the outbox (npm run outbox:replay), not redriven`,
      errors: [{ field: 'queue', message: 'has no source queue' }],
    };
  const moved = await deps.queues.redrive(queue, source, request.messageId);
  const { at, actionId } = await audit(deps, connectionId, {
    action: 'redrive',
    queue: queue.name,
    source,
    ...(request.messageId ? { messageId: request.messageId } : {}),
    moved,
  });
  return {
    type: 'ops.redriven',
    at,
    actionId,
    queue: queue.name,
    source,
    moved,
    ...(request.messageId ? { messageId: request.messageId } : {}),
  };
}

/**
 * Answers one operations message on its connection (the WebSocket API admits admins only, at `$connect`):
 * - `ops.queues`: every DLQ with depth, oldest age, alarm and its first messages (event, order, last error);
 * - `ops.redrive`: moves one message or all back to the source queue, audited;
 * - `ops.stuck`: orders in a non-final status longer than `olderThanMinutes` (15 by default);
 * - `ops.partners`: per partner today's orders, rejections, completions, dead callbacks and quota used;
 * - `ops.replay`: every service republishes the order's outbox records never marked published, audited.
 * A message that fits none of these gets `{ type: 'error', errors }` naming the fields.
 */
export async function handleOperation(
  deps: OperationsDeps,
  connectionId: string,
  body: unknown,
): Promise<unknown> {
  const parsed = OperationMessage.safeParse(body);
  let answer: unknown;
  if (!parsed.success) {
    answer = {
      type: 'error',
      message: 'Unknown or invalid operation',
      errors: messageErrors(body, parsed.error),
    };
  } else {
    const m = parsed.data;
    try {
      switch (m.action) {
        case 'ops.queues':
          answer = await queuesView(deps);
          break;
        case 'ops.redrive':
          answer = await redrive(deps, connectionId, m);
          break;
        case 'ops.stuck': {
          const now = deps.clock.now();
          const orders = await deps.orders.placedSince(new Date(now.getTime() - DAY).toISOString());
          answer = {
            type: 'ops.stuck',
            at: now.toISOString(),
            olderThanMinutes: m.olderThanMinutes,
            orders: stuckOrders(orders, now, m.olderThanMinutes),
          };
          break;
        }
        case 'ops.partners':
          answer = await partnersView(deps);
          break;
        case 'ops.replay':
          answer = await replay(deps, connectionId, m.orderId, m.olderThanSeconds);
          break;
      }
    } catch (error) {
      // A dependency failed (SQS, Lambda, DynamoDB): the admin is told, and nothing moved is lost (a
      // redrive sends before it deletes).
      answer = { type: 'error', message: `${m.action} failed: ${(error as Error).message}`, errors: [] };
    }
  }
  await deps.pusher.push(connectionId, answer);
  return answer;
}
