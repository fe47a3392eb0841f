import type { DomainEvent } from '@order-platform/contracts';

/** What the dashboard shows of an event: type, time, correlation and data (`{ type, occurredAt, correlationId, data }`). */
export interface FeedEntry {
  eventId: string;
  type: string;
  source: string;
  occurredAt: string;
  correlationId: string;
  orderId?: string;
  data: unknown;
}

export function toFeedEntry(event: DomainEvent): FeedEntry {
  const data = event.data as { orderId?: unknown };
  return {
    eventId: event.id,
    type: event.type,
    source: event.source,
    occurredAt: event.occurredAt,
    correlationId: event.correlationId,
    orderId: typeof data.orderId === 'string' ? data.orderId : undefined,
    data: event.data,
  };
}
