import type { OrderSummary } from './dashboard';

/**
 * The operations view (issue 16): what an operator needs to find and fix stuck work, computed from what
 * the platform reads of its own queues and from painel's order board. Pure functions; the use case feeds them.
 */

/** A dead-letter queue of the stage as SQS describes it. */
export interface DeadLetterQueueState {
  name: string;
  url: string;
  /** Messages waiting (ApproximateNumberOfMessages). */
  depth: number;
  /** Messages received and not yet deleted (ApproximateNumberOfMessagesNotVisible). */
  inFlight: number;
  /** The queues whose redrive policy sends here (empty for Lambda's async and on-failure destinations). */
  sources: string[];
}

/** A message of a dead-letter queue, as read without consuming it. */
export interface DeadLetterMessage {
  messageId: string;
  body: string;
  /** SentTimestamp (epoch ms, as SQS gives it) and ApproximateReceiveCount. */
  sentAt: number;
  receiveCount: number;
  /** Message attributes (Lambda's async DLQ puts ErrorCode, ErrorMessage and RequestID there). */
  attributes: Record<string, string>;
}

export interface DeadLetterView {
  messageId: string;
  eventType: string;
  orderId?: string;
  /** A partner request's own reference (`partnerOrderRef`), for a message of the partner intake. */
  reference?: string;
  lastError: string;
  sentAt: string;
  receiveCount: number;
}

export interface DeadLetterQueueView {
  name: string;
  /** The service whose stack declares it (from the stack part of its name). */
  service: string;
  depth: number;
  inFlight: number;
  /** Age of the oldest message seen, in seconds (0 when empty). */
  oldestAgeSeconds: number;
  /** The DLQ alarm's rule (more than 0 messages visible over a minute), applied to the depth read now. */
  alarm: 'ALARM' | 'OK';
  /** Where a redrive sends its messages back; null when nothing sends here through a redrive policy. */
  source: string | null;
  messages: DeadLetterView[];
}

/** `OrderPlatform-dev-Pedidos-InboxDlq94EF58D2-AbC` → `pedidos`. */
export function serviceOfQueue(name: string): string {
  return /^OrderPlatform-[^-]+-([A-Za-z]+)-/.exec(name)?.[1]?.toLowerCase() ?? 'unknown';
}

/** A DLQ by the platform's naming: the `Dlq` child of `deadLetterQueue()` or a function's `AsyncDlq`. */
export function isDeadLetterQueue(name: string): boolean {
  return /Dlq[0-9A-F]{8}/.test(name) || /Dlq$/.test(name);
}

const asObject = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/**
 * What a dead letter is: the event type and order of the envelope it carries (an inbox's event, an SNS
 * notification of one, an SQS or stream record a function failed on), and the last error as far as SQS
 * keeps it: Lambda's `ErrorMessage` attribute, an on-failure record's condition, or the receive count.
 */
export function describeDeadLetter(message: DeadLetterMessage): DeadLetterView {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.body);
  } catch {
    parsed = undefined;
  }
  const envelopeOf = (value: unknown): Record<string, unknown> | undefined => {
    const o = asObject(value);
    if (!o) return undefined;
    if (typeof o['type'] === 'string' && asObject(o['data'])) return o;
    // An SNS notification (raw delivery off) or an SQS record with the envelope in its body.
    for (const key of ['Message', 'body']) {
      if (typeof o[key] === 'string') {
        try {
          const inner = envelopeOf(JSON.parse(o[key] as string));
          if (inner) return inner;
        } catch {
          /* not JSON */
        }
      }
    }
    const records = o['Records'];
    if (Array.isArray(records) && records.length) return envelopeOf(records[0]);
    return undefined;
  };
  const envelope = envelopeOf(parsed);
  const root = asObject(parsed);
  const onFailure = asObject(root?.['requestContext']) && asObject(root?.['responseContext']);
  const batchInfo = Object.keys(root ?? {}).find((k) => k.endsWith('BatchInfo'));
  const data = asObject(envelope?.['data']);
  // A partner request as API Gateway queued it: one order, or a batch.
  const reference = typeof root?.['partnerOrderRef'] === 'string' ? root['partnerOrderRef'] : undefined;
  const batch = Array.isArray(root?.['orders']) ? (root['orders'] as unknown[]).length : undefined;
  const orderId = typeof data?.['orderId'] === 'string' ? data['orderId'] : undefined;
  let lastError = `received ${message.receiveCount} time(s) without success, then moved here by the redrive policy`;
  if (message.attributes['ErrorMessage'])
    lastError = `${message.attributes['ErrorCode'] ?? 'error'}: ${message.attributes['ErrorMessage']}`;
  else if (onFailure) {
    const request = asObject(root!['requestContext'])!;
    const response = asObject(root!['responseContext'])!;
    lastError = `${String(request['condition'] ?? 'failed')}${response['functionError'] ? ` (${String(response['functionError'])})` : ''}`;
  }
  return {
    messageId: message.messageId,
    eventType:
      typeof envelope?.['type'] === 'string'
        ? envelope['type']
        : reference
          ? 'partner order'
          : batch
            ? `partner batch of ${batch}`
            : batchInfo
              ? batchInfo.replace(/BatchInfo$/, ' batch')
              : 'unreadable',
    ...(orderId ? { orderId } : {}),
    ...(reference ? { reference } : {}),
    lastError,
    sentAt: new Date(message.sentAt).toISOString(),
    receiveCount: message.receiveCount,
  };
}

export function deadLetterQueueView(
  queue: DeadLetterQueueState,
  messages: DeadLetterMessage[],
  now: Date,
): DeadLetterQueueView {
  const oldest = messages.length ? Math.min(...messages.map((m) => m.sentAt)) : undefined;
  return {
    name: queue.name,
    service: serviceOfQueue(queue.name),
    depth: queue.depth,
    inFlight: queue.inFlight,
    oldestAgeSeconds: oldest === undefined ? 0 : Math.max(0, Math.round((now.getTime() - oldest) / 1000)),
    alarm: queue.depth > 0 ? 'ALARM' : 'OK',
    source: queue.sources[0] ?? null,
    messages: messages.map(describeDeadLetter),
  };
}

const FINAL = new Set(['COMPLETED', 'REJECTED', 'CANCELLED']);

/** Orders in a non-final status whose last change is older than the threshold, the longest stuck first. */
export function stuckOrders(
  orders: OrderSummary[],
  now: Date,
  olderThanMinutes: number,
): (OrderSummary & { stuckForSeconds: number })[] {
  const limit = now.getTime() - olderThanMinutes * 60_000;
  return orders
    .filter((o) => !FINAL.has(o.status) && new Date(o.updatedAt).getTime() <= limit)
    .map((o) => ({
      ...o,
      stuckForSeconds: Math.round((now.getTime() - new Date(o.updatedAt).getTime()) / 1000),
    }))
    .sort((a, b) => b.stuckForSeconds - a.stuckForSeconds);
}

export interface PartnerStats {
  partnerId: string;
  ordersToday: number;
  rejectedToday: number;
  completedToday: number;
  /** Callbacks that failed past their retries (messages of the callbacks DLQ naming the partner). */
  callbackFailures: number;
  /** Requests counted against its usage plan's quota today, and the quota; absent when unknown. */
  quota?: { used: number; limit: number };
}

/** Per partner, orders placed since midnight UTC and how they ended, with its dead callbacks. */
export function partnerStats(
  orders: OrderSummary[],
  callbackFailures: Record<string, number>,
  now: Date,
  quotas: Record<string, { used: number; limit: number }> = {},
): PartnerStats[] {
  const midnight = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()),
  ).toISOString();
  const stats = new Map<string, PartnerStats>();
  const of = (partnerId: string) => {
    let s = stats.get(partnerId);
    if (!s) {
      s = { partnerId, ordersToday: 0, rejectedToday: 0, completedToday: 0, callbackFailures: 0 };
      stats.set(partnerId, s);
    }
    return s;
  };
  for (const o of orders) {
    if (!o.partnerId || !o.placedAt || o.placedAt < midnight) continue;
    const s = of(o.partnerId);
    s.ordersToday += 1;
    if (o.status === 'REJECTED') s.rejectedToday += 1;
    if (o.status === 'COMPLETED') s.completedToday += 1;
  }
  for (const [partnerId, count] of Object.entries(callbackFailures)) of(partnerId).callbackFailures += count;
  for (const [partnerId, quota] of Object.entries(quotas)) of(partnerId).quota = quota;
  return [...stats.values()].sort((a, b) => a.partnerId.localeCompare(b.partnerId));
}
