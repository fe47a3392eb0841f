import type { FeedEntry } from './feed-entry';

/** An order's status as the dashboard follows it, from pedidos' events. */
export const ORDER_STATUSES = ['RECEIVED', 'PROCESSING', 'COMPLETED', 'REJECTED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const STATUS_OF_EVENT: Record<string, OrderStatus> = {
  OrderPlaced: 'RECEIVED',
  OrderProcessing: 'PROCESSING',
  OrderCompleted: 'COMPLETED',
  OrderRejected: 'REJECTED',
  OrderCancelled: 'CANCELLED',
};

/**
 * How far along a status is. Events may arrive out of order; a status only ever replaces one of lower
 * rank, so a late `OrderProcessing` never takes a completed order back. A withdrawal after completion
 * (`OrderCancelled` with `afterCompletion`) ranks above COMPLETED: see `WITHDRAWN_RANK`.
 */
export const STATUS_RANK: Record<OrderStatus, number> = {
  RECEIVED: 0,
  PROCESSING: 1,
  COMPLETED: 2,
  REJECTED: 2,
  CANCELLED: 2,
};

/** The rank of a cancellation that follows completion, so it replaces COMPLETED and a late OrderCompleted cannot. */
export const WITHDRAWN_RANK = 3;

export interface OrderStatusChange {
  orderId: string;
  status: OrderStatus;
  rank: number;
  at: string;
  /** Set by `OrderPlaced`: when the order came in (for counts and orders per minute). */
  placedAt?: string;
  total?: number;
  /** Set by `OrderPlaced`: where it came in, and the partner for partner orders (the operations view). */
  channel?: string;
  partnerId?: string;
}

/** The status an event moves its order to, if it is one of pedidos' order events. */
export function statusChangeOf(entry: FeedEntry): OrderStatusChange | undefined {
  const status = STATUS_OF_EVENT[entry.type];
  if (!status || !entry.orderId) return undefined;
  const data = entry.data as {
    total?: unknown;
    afterCompletion?: unknown;
    channel?: unknown;
    partnerId?: unknown;
  };
  const placed = entry.type === 'OrderPlaced';
  return {
    orderId: entry.orderId,
    status,
    rank: data.afterCompletion === true ? WITHDRAWN_RANK : STATUS_RANK[status],
    at: entry.occurredAt,
    placedAt: placed ? entry.occurredAt : undefined,
    total: typeof data.total === 'number' ? data.total : undefined,
    ...(placed && typeof data.channel === 'string' ? { channel: data.channel } : {}),
    ...(placed && typeof data.partnerId === 'string' ? { partnerId: data.partnerId } : {}),
  };
}

export interface StockAlert {
  productId: string;
  sku?: string;
  name?: string;
  available: number;
  at: string;
  reason: 'low-stock' | 'reservation-failed';
}

/**
 * What an event says of stock: an alert when a product's available stock is at or below the threshold
 * (after a product change or a reservation) or a reservation failed for want of it; a clearance when a
 * product change puts it back above.
 */
export function stockSignalsOf(
  entry: FeedEntry,
  threshold: number,
): { raise: StockAlert[]; clear: string[] } {
  const raise: StockAlert[] = [];
  const clear: string[] = [];
  if (entry.type === 'ProductCreated' || entry.type === 'ProductUpdated') {
    const d = entry.data as { productId: string; sku?: string; name?: string; available?: number };
    if (typeof d.available === 'number') {
      if (d.available <= threshold)
        raise.push({
          productId: d.productId,
          sku: d.sku,
          name: d.name,
          available: d.available,
          at: entry.occurredAt,
          reason: 'low-stock',
        });
      else clear.push(d.productId);
    }
  }
  if (entry.type === 'StockReserved') {
    const d = entry.data as { items?: { productId: string; availableAfter?: number }[] };
    for (const item of d.items ?? [])
      if (typeof item.availableAfter === 'number' && item.availableAfter <= threshold)
        raise.push({
          productId: item.productId,
          available: item.availableAfter,
          at: entry.occurredAt,
          reason: 'low-stock',
        });
  }
  if (entry.type === 'StockReservationFailed') {
    const d = entry.data as { unavailable?: { productId: string; available: number }[] };
    for (const u of d.unavailable ?? [])
      raise.push({
        productId: u.productId,
        available: u.available,
        at: entry.occurredAt,
        reason: 'reservation-failed',
      });
  }
  return { raise, clear };
}

/** What a connected admin asked to see: every event (no filter), some types, or one order. */
export interface FeedFilter {
  types?: string[];
  orderId?: string;
}

export function matchesFilter(filter: FeedFilter | undefined, entry: FeedEntry): boolean {
  if (!filter) return true;
  if (filter.types?.length && !filter.types.includes(entry.type)) return false;
  if (filter.orderId && filter.orderId !== entry.orderId) return false;
  return true;
}

/** The message an admin receives for each event. */
export function pushMessageOf(entry: FeedEntry): {
  type: string;
  occurredAt: string;
  correlationId: string;
  data: unknown;
} {
  return {
    type: entry.type,
    occurredAt: entry.occurredAt,
    correlationId: entry.correlationId,
    data: entry.data,
  };
}

export interface OrderSummary {
  orderId: string;
  status: OrderStatus;
  placedAt?: string;
  updatedAt: string;
  total?: number;
  channel?: string;
  partnerId?: string;
}

export interface Snapshot {
  type: 'snapshot';
  at: string;
  /** Orders placed in the last 24 hours, by their current status. */
  ordersByStatus: Record<OrderStatus, number>;
  /** Orders placed in each of the last 60 minutes, oldest first. */
  ordersPerMinute: number[];
  stockAlerts: StockAlert[];
  /** The last 50 events, newest first. */
  recentEvents: ReturnType<typeof pushMessageOf>[];
  /** The orders of the last 24 hours, newest first (at most 200). */
  recentOrders: OrderSummary[];
}

const MINUTE = 60_000;

/** Builds the dashboard's opening picture from what painel keeps of the events. */
export function buildSnapshot(
  now: Date,
  orders: OrderSummary[],
  alerts: StockAlert[],
  events: FeedEntry[],
): Snapshot {
  const dayAgo = now.getTime() - 24 * 60 * MINUTE;
  const recent = orders.filter((o) => o.placedAt && Date.parse(o.placedAt) >= dayAgo);
  const ordersByStatus = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
  for (const o of recent) ordersByStatus[o.status] += 1;
  const ordersPerMinute = new Array<number>(60).fill(0);
  const currentMinute = Math.floor(now.getTime() / MINUTE);
  for (const o of recent) {
    const age = currentMinute - Math.floor(Date.parse(o.placedAt!) / MINUTE);
    if (age >= 0 && age < 60) ordersPerMinute[59 - age]! += 1;
  }
  return {
    type: 'snapshot',
    at: now.toISOString(),
    ordersByStatus,
    ordersPerMinute,
    stockAlerts: [...alerts].sort((a, b) => a.available - b.available),
    recentEvents: [...events]
      .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt))
      .slice(0, 50)
      .map(pushMessageOf),
    recentOrders: [...recent].sort((a, b) => b.placedAt!.localeCompare(a.placedAt!)).slice(0, 200),
  };
}
