import type { DomainEvent } from '@order-platform/contracts';
import { matchesFilter, pushMessageOf, statusChangeOf, stockSignalsOf } from '../domain/dashboard';
import { toFeedEntry, type FeedEntry } from '../domain/feed-entry';
import type { Clock, Connection, Connections, EventLog, OrderBoard, Pusher, StockAlerts } from './ports';

export interface RecordEventDeps {
  log: EventLog;
  orders: OrderBoard;
  alerts: StockAlerts;
  connections: Connections;
  pusher: Pusher;
  lowStockThreshold: number;
  clock: Clock;
}

export interface FanOutResult {
  sent: number;
  gone: number;
  failed: number;
  /** Connections whose token expired: closed instead of fed (the page reconnects with a fresh token). */
  closed: number;
}

/**
 * The connections as one batch of events sees them: read once on the batch's first event and reused for
 * the rest (a scan per event would be the dashboard's largest cost under load); `forget` before each batch.
 * A connection closed meanwhile is dropped from the list at once; one opened meanwhile receives from the
 * next batch on.
 */
export function readOncePerBatch(connections: Connections): Connections & { forget(): void } {
  let list: Promise<Connection[]> | undefined;
  return {
    add: (c) => connections.add(c),
    setFilter: (id, filter) => connections.setFilter(id, filter),
    get: (id) => connections.get(id),
    async remove(connectionId) {
      if (list) {
        const current = list;
        list = current.then((all) => all.filter((c) => c.connectionId !== connectionId));
      }
      await connections.remove(connectionId);
    },
    all() {
      list ??= connections.all();
      // A failed read is not kept: the next event reads again.
      list.catch(() => (list = undefined));
      return list.then((all) => [...all]);
    },
    forget() {
      list = undefined;
    },
  };
}

/**
 * Pushes one event to every connected admin whose filter takes it. A connection whose token has expired
 * is closed and removed instead: nobody keeps the feed past their token (an admin who left the `admins`
 * group is refused at the next connect). The pushes go out together and none waits on another; a
 * connection that is gone is removed; any other failure is counted and left alone.
 */
export async function fanOut(
  deps: Pick<RecordEventDeps, 'connections' | 'pusher' | 'clock'>,
  entry: FeedEntry,
): Promise<FanOutResult> {
  const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
  const all = await deps.connections.all();
  const expired = all.filter((c) => c.tokenExpiresAt !== undefined && c.tokenExpiresAt <= nowSeconds);
  const closing = await Promise.allSettled(
    expired.map(async (c) => {
      await deps.pusher.close(c.connectionId);
      await deps.connections.remove(c.connectionId);
    }),
  );
  const targets = all.filter((c) => !expired.includes(c) && matchesFilter(c.filter, entry));
  const message = pushMessageOf(entry);
  const outcomes = await Promise.allSettled(
    targets.map(async (c) => {
      const outcome = await deps.pusher.push(c.connectionId, message);
      if (outcome === 'gone') await deps.connections.remove(c.connectionId);
      return outcome;
    }),
  );
  const result: FanOutResult = {
    sent: 0,
    gone: 0,
    failed: closing.filter((c) => c.status === 'rejected').length,
    closed: closing.filter((c) => c.status === 'fulfilled').length,
  };
  for (const o of outcomes) {
    if (o.status === 'rejected') result.failed += 1;
    else result[o.value] += 1;
  }
  return result;
}

/**
 * Takes one event into the dashboard:
 * 1. records it in the feed once by event id (at-least-once delivery makes duplicates normal);
 * 2. moves its order's status forward and keeps stock alerts current (both idempotent, so a retry after a
 *    partial failure converges);
 * 3. pushes it to the connected admins, the first time only.
 */
export async function recordEvent(
  deps: RecordEventDeps,
  event: DomainEvent,
): Promise<{ outcome: 'recorded' | 'duplicate'; fanOut?: FanOutResult }> {
  const entry = toFeedEntry(event);
  const outcome = await deps.log.record(entry);
  const change = statusChangeOf(entry);
  if (change) await deps.orders.apply(change);
  const { raise, clear } = stockSignalsOf(entry, deps.lowStockThreshold);
  for (const alert of raise) await deps.alerts.raise(alert);
  for (const productId of clear) await deps.alerts.clear(productId);
  if (outcome === 'duplicate') return { outcome };
  return { outcome, fanOut: await fanOut(deps, entry) };
}
