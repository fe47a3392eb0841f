import { EVENT_TYPES } from '@order-platform/contracts';
import { messageErrors } from './message-errors';
import * as z from '@order-platform/contracts/zod';
import { buildSnapshot, pushMessageOf, type FeedFilter } from '../domain/dashboard';
import type { Clock, Connections, EventLog, OrderBoard, Pusher, StockAlerts, Traces } from './ports';

/** The types of what the feed carries: every published event's, and the operators' actions. */
export const FEED_TYPES = [...EVENT_TYPES, 'OperatorAction'] as const;

/** What a connected client may send: `{ action, ... }` (the WebSocket API routes on `action`). */
export const ClientMessage = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('subscribe'),
    // A type the feed never carries is refused: a filter on it would silently show nothing.
    types: z.optional(z.array(z.enum(FEED_TYPES)).check(z.maxLength(50))),
    orderId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  }),
  z.object({ action: z.literal('snapshot') }),
  z.object({ action: z.literal('timeline'), orderId: z.string().check(z.minLength(1), z.maxLength(100)) }),
  z.object({ action: z.literal('trace'), orderId: z.string().check(z.minLength(1), z.maxLength(100)) }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export interface LiveFeedDeps {
  log: EventLog;
  orders: OrderBoard;
  alerts: StockAlerts;
  connections: Connections;
  pusher: Pusher;
  clock: Clock;
  traces?: Traces;
}

/** Spans sent for one order at most (a long saga with retries stays readable). */
export const MAX_TRACE_SPANS = 300;

/**
 * One order's X-Ray trace: the spans of the traces annotated with the correlation ids of its events, from
 * a minute before its first event to ten minutes after its last (X-Ray finds a trace by its start).
 */
export async function orderTrace(deps: Pick<LiveFeedDeps, 'log' | 'traces'>, orderId: string) {
  const events = await deps.log.timeline(orderId);
  if (!events.length || !deps.traces) return { type: 'trace', orderId, spans: [], truncated: false };
  const correlationIds = [...new Set(events.map((e) => e.correlationId))];
  const from = new Date(new Date(events[0]!.occurredAt).getTime() - 60_000);
  const to = new Date(new Date(events[events.length - 1]!.occurredAt).getTime() + 600_000);
  const spans = await deps.traces.spans(correlationIds, from, to);
  return {
    type: 'trace',
    orderId,
    spans: spans.slice(0, MAX_TRACE_SPANS),
    truncated: spans.length > MAX_TRACE_SPANS,
  };
}

/** The dashboard's opening picture, built only from what painel keeps. */
export async function snapshot(deps: Pick<LiveFeedDeps, 'log' | 'orders' | 'alerts' | 'clock'>) {
  const now = deps.clock.now();
  const [orders, alerts, events] = await Promise.all([
    deps.orders.placedSince(new Date(now.getTime() - 24 * 3600_000).toISOString()),
    deps.alerts.list(),
    deps.log.recent(50),
  ]);
  return buildSnapshot(now, orders, alerts, events);
}

/**
 * Answers one client message on its connection:
 * - `subscribe` narrows (or, with neither field, widens again) the events pushed to it;
 * - `snapshot` sends the opening picture;
 * - `timeline` sends one order's events, oldest first;
 * - `trace` sends the spans of one order's X-Ray trace, oldest first.
 * A message that fits none of these gets `{ type: 'error', errors }` naming the fields.
 */
export async function handleClientMessage(
  deps: LiveFeedDeps,
  connectionId: string,
  body: unknown,
): Promise<void> {
  const parsed = ClientMessage.safeParse(body);
  if (!parsed.success) {
    await deps.pusher.push(connectionId, {
      type: 'error',
      message: 'Unknown or invalid message',
      errors: messageErrors(body, parsed.error),
    });
    return;
  }
  const message = parsed.data;
  if (message.action === 'subscribe') {
    const filter: FeedFilter | undefined =
      message.types?.length || message.orderId
        ? { types: message.types, orderId: message.orderId }
        : undefined;
    await deps.connections.setFilter(connectionId, filter);
    await deps.pusher.push(connectionId, { type: 'subscribed', filter: filter ?? {} });
    return;
  }
  if (message.action === 'snapshot') {
    await deps.pusher.push(connectionId, await snapshot(deps));
    return;
  }
  if (message.action === 'trace') {
    await deps.pusher.push(connectionId, await orderTrace(deps, message.orderId));
    return;
  }
  const events = await deps.log.timeline(message.orderId);
  await deps.pusher.push(connectionId, {
    type: 'timeline',
    orderId: message.orderId,
    events: events.map(pushMessageOf),
  });
}
