import type { FeedFilter, OrderStatusChange, OrderSummary, StockAlert } from '../domain/dashboard';
import type { FeedEntry } from '../domain/feed-entry';
import type { DeadLetterMessage, DeadLetterQueueState } from '../domain/operations';

/** The dashboard's own copy of the events it received (no other service's table is ever read). */
export interface EventLog {
  /** Stores the entry once; a second delivery of the same event id reports `duplicate` and changes nothing. */
  record(entry: FeedEntry): Promise<'recorded' | 'duplicate'>;
  /** The newest entries, newest first. */
  recent(limit: number): Promise<FeedEntry[]>;
  /** One order's events, oldest first. */
  timeline(orderId: string): Promise<FeedEntry[]>;
}

/** Orders as the dashboard follows them, from pedidos' events. */
export interface OrderBoard {
  /** Applies a status change; one of lower or equal rank than the order's current status changes nothing. */
  apply(change: OrderStatusChange): Promise<void>;
  /** Orders placed since the given instant. */
  placedSince(since: string): Promise<OrderSummary[]>;
}

export interface StockAlerts {
  raise(alert: StockAlert): Promise<void>;
  clear(productId: string): Promise<void>;
  list(): Promise<StockAlert[]>;
}

export interface Connection {
  connectionId: string;
  userId: string;
  email?: string;
  filter?: FeedFilter;
  /** When the ID token the connection was opened with expires (epoch seconds): the connection ends then. */
  tokenExpiresAt?: number;
}

/** The open WebSocket connections of admins. */
export interface Connections {
  add(connection: Connection): Promise<void>;
  remove(connectionId: string): Promise<void>;
  setFilter(connectionId: string, filter: FeedFilter | undefined): Promise<void>;
  all(): Promise<Connection[]>;
  /** One connection (who opened it), if it is still open. */
  get(connectionId: string): Promise<Connection | undefined>;
}

/** What one service's outbox replay did: the events it republished, or why it could not. */
export type ReplayOutcome =
  { service: string; events: { eventId: string; type: string }[] } | { service: string; error: string };

/** Partners' quota use of the day (their API keys' usage plans). */
export interface PartnerQuotas {
  /** By partner id: requests counted against the quota today, and the quota. */
  usedToday(now: Date): Promise<Record<string, { used: number; limit: number }>>;
}

/** Every service's outbox replay (the function each service owns for it). */
export interface OutboxReplays {
  /** Republishes one order's events that were never marked published, in every service. */
  replay(orderId: string, olderThanSeconds: number): Promise<ReplayOutcome[]>;
}

/** The stage's dead-letter queues, read and redriven with the operations function's own permissions. */
export interface DeadLetterQueues {
  /**
   * Every DLQ of the stage, with its depth and the queues that send to it; with `named`, only those whose
   * name (after the stage prefix) starts so, and without their sources.
   */
  list(named?: string): Promise<DeadLetterQueueState[]>;
  /** Up to `max` (≤ 10) of its messages, left in the queue. */
  peek(queue: DeadLetterQueueState, max: number): Promise<DeadLetterMessage[]>;
  /**
   * Moves its messages (all, or the one with `messageId`) back to `source`: each is sent there, then deleted
   * here, so a failure in between leaves a copy in both (consumers are idempotent), never in neither.
   * Returns how many moved.
   */
  redrive(queue: DeadLetterQueueState, source: string, messageId?: string): Promise<number>;
}

/** Sends a message to one connection; `gone` when the connection no longer exists. */
export interface Pusher {
  push(connectionId: string, message: unknown): Promise<'sent' | 'gone'>;
  /** Closes a connection from the server side (the client sees the socket close). */
  close(connectionId: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

/** One segment or subsegment of an order's X-Ray traces, as the dashboard draws it. */
export interface TraceSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  /** `AWS::Lambda::Function`, `AWS::ApiGateway::Stage`, `AWS::DynamoDB`…; empty for a plain subsegment. */
  origin: string;
  /** Epoch seconds. */
  start: number;
  end: number;
  /** 0 for a segment, 1 for its subsegments, and so on. */
  depth: number;
  error: boolean;
  fault: boolean;
}

/** The X-Ray traces of one order (found by the correlation id every function annotates). */
export interface Traces {
  /** Spans of the traces annotated with any of the correlation ids, between the two instants, oldest first. */
  spans(correlationIds: string[], from: Date, to: Date): Promise<TraceSpan[]>;
}
