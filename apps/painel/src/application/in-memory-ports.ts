// In-memory ports for the use-case tests: plain maps that keep the ports' promises.
import { STATUS_RANK, type OrderStatusChange, type OrderSummary, type StockAlert } from '../domain/dashboard';
import type { FeedEntry } from '../domain/feed-entry';
import type { Connection, Connections, EventLog, OrderBoard, Pusher, StockAlerts } from './ports';

export class InMemoryDashboard implements EventLog, OrderBoard, StockAlerts {
  readonly entries = new Map<string, FeedEntry>();
  readonly orders = new Map<string, OrderSummary>();
  readonly alerts = new Map<string, StockAlert>();

  async record(entry: FeedEntry) {
    if (this.entries.has(entry.eventId)) return 'duplicate' as const;
    this.entries.set(entry.eventId, entry);
    return 'recorded' as const;
  }
  async recent(limit: number) {
    return [...this.entries.values()]
      .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt))
      .slice(0, limit);
  }
  async timeline(orderId: string) {
    return [...this.entries.values()]
      .filter((e) => e.orderId === orderId)
      .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  }
  async apply(change: OrderStatusChange) {
    const current = this.orders.get(change.orderId);
    const placedAt = change.placedAt ?? current?.placedAt;
    if (current && STATUS_RANK[current.status] >= change.rank) {
      this.orders.set(change.orderId, {
        ...current,
        placedAt,
        channel: change.channel ?? current.channel,
        partnerId: change.partnerId ?? current.partnerId,
      });
      return;
    }
    this.orders.set(change.orderId, {
      orderId: change.orderId,
      status: change.status,
      placedAt,
      updatedAt: change.at,
      total: change.total ?? current?.total,
      channel: change.channel ?? current?.channel,
      partnerId: change.partnerId ?? current?.partnerId,
    });
  }
  async placedSince(since: string) {
    return [...this.orders.values()].filter((o) => o.placedAt && o.placedAt >= since);
  }
  async raise(alert: StockAlert) {
    this.alerts.set(alert.productId, alert);
  }
  async clear(productId: string) {
    this.alerts.delete(productId);
  }
  async list() {
    return [...this.alerts.values()];
  }
}

export class InMemoryConnections implements Connections {
  readonly byId = new Map<string, Connection>();
  async add(c: Connection) {
    this.byId.set(c.connectionId, c);
  }
  async remove(id: string) {
    this.byId.delete(id);
  }
  async setFilter(id: string, filter: Connection['filter']) {
    const c = this.byId.get(id);
    if (!c) throw new Error(`no connection ${id}`);
    this.byId.set(id, { ...c, filter });
  }
  async all() {
    return [...this.byId.values()];
  }
  async get(id: string) {
    return this.byId.get(id);
  }
}

/** Records what each connection received; connections listed in `gone` are closed, in `broken` fail. */
export class RecordingPusher implements Pusher {
  readonly received = new Map<string, unknown[]>();
  constructor(
    readonly gone = new Set<string>(),
    readonly broken = new Set<string>(),
  ) {}
  async push(connectionId: string, message: unknown) {
    if (this.broken.has(connectionId)) throw new Error('network down');
    if (this.gone.has(connectionId)) return 'gone' as const;
    this.received.set(connectionId, [...(this.received.get(connectionId) ?? []), message]);
    return 'sent' as const;
  }
  readonly closed: string[] = [];
  async close(connectionId: string) {
    this.closed.push(connectionId);
  }
}
