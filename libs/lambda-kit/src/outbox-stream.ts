import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { parseEvent, type DomainEvent } from '@order-platform/contracts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { instrumented, logger, metrics } from './powertools';

/** The port an outbox publisher sends events through (SNS in AWS and locally). */
export interface EventPublisher {
  /** `traceHeader`: the trace the event was written in, for the message to carry on. */
  publish(event: DomainEvent, options?: { traceHeader?: string }): Promise<void>;
}

/** A destination that takes many events per call (the integration bus); answers the ones it did not take. */
export interface BatchEventPublisher {
  publishAll(
    entries: { event: DomainEvent; traceHeader?: string }[],
  ): Promise<{ eventId: string; reason: string }[]>;
}

/** Records that outbox records' events went out (the replay tool skips those). */
export interface OutboxMarker {
  /** Marks the records, as the stream showed them, published; answers the event ids it could not mark. */
  markAllPublished(records: Record<string, unknown>[]): Promise<string[]>;
}

/**
 * What a service's outbox publishes through: every event to `publisher` (the service topic) one at a time
 * and in order, then the ones it took to `bus` (the integration bus) and `marker` many per call.
 */
export interface OutboxWiring {
  publisher: EventPublisher;
  bus?: BatchEventPublisher;
  marker?: OutboxMarker;
}

/** Attribute that marks an item as an outbox record; the stream mapping filters on it. */
export const OUTBOX_KIND = 'outbox';

/** What orders an outbox's events: those of one order (or one product, one invoice...) keep their order. */
function orderingKey(event: DomainEvent): string {
  const data = event.data as Record<string, unknown> | undefined;
  for (const key of ['orderId', 'productId', 'invoiceId', 'partnerId'])
    if (typeof data?.[key] === 'string') return `${key}:${data[key]}`;
  return `event:${event.id}`;
}

/**
 * The DynamoDB stream handler of a service's outbox: for each newly inserted outbox record, publishes the
 * event it holds to the topic, then to the bus, then marks the record published.
 *
 * Events of one order (see `orderingKey`) are published to the topic one after the other, in stream order;
 * different orders' events go out side by side (one at a time, a busy outbox published ~50 events/s and held
 * the whole pipeline back). The bus and the marks then take the batch's published events in as few calls as
 * their APIs allow (ten per `PutEvents`, 25 per `BatchWriteItem`) instead of two calls per event. When any
 * step fails for a record, that order's later records are reported as failures with it: the stream retries
 * from the first failed record, so nothing is lost and no order's events overtake each other on the topic
 * (events after it may be published twice, which the consumers' idempotency absorbs). The bus, like
 * EventBridge itself, promises no order.
 */
export function outboxPublisherHandler(
  outbox: () => OutboxWiring,
): (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse> {
  return instrumented(async (event: DynamoDBStreamEvent) => {
    const { publisher, bus, marker } = outbox();
    metrics.addMetric('RecordsReceived', MetricUnit.Count, event.Records.length);
    type Entry = {
      record: DynamoDBRecord;
      item?: Record<string, unknown>;
      event?: DomainEvent;
      error?: unknown;
      traceHeader?: string;
      group: Entry[];
    };
    const groups = new Map<string, Entry[]>();
    for (const record of event.Records) {
      if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
      const item = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>);
      // A record written back after it was deleted (a mark that came after its TTL) is not news.
      if (item['kind'] !== OUTBOX_KIND || item['publishedAt'] !== undefined) continue;
      const traceHeader = typeof item['traceHeader'] === 'string' ? item['traceHeader'] : undefined;
      let parsed: Pick<Entry, 'event' | 'error'>;
      try {
        parsed = { event: parseEvent(item['event']) };
      } catch (error) {
        parsed = { error };
      }
      const key = parsed.event ? orderingKey(parsed.event) : `record:${record.dynamodb.SequenceNumber}`;
      const group = groups.get(key) ?? [];
      groups.set(key, group);
      group.push({ record, item, ...parsed, traceHeader, group });
    }
    const failed = new Set<Entry>();
    /** `entry` failed: it and its order's later records are retried. */
    const fail = (entry: Entry, message: string, error?: unknown) => {
      logger.error(message, { error: error as Error, eventId: entry.event?.id });
      for (const later of entry.group.slice(entry.group.indexOf(entry))) failed.add(later);
    };
    // 1. The topic: one order's events in stream order, different orders' side by side.
    const published: Entry[] = [];
    await Promise.all(
      [...groups.values()].map(async (group) => {
        for (const entry of group) {
          try {
            if (!entry.event) throw entry.error;
            await publisher.publish(entry.event, entry.traceHeader ? { traceHeader: entry.traceHeader } : {});
            published.push(entry);
          } catch (error) {
            fail(entry, 'Publish failed; the stream retries from this record', error);
            return;
          }
        }
      }),
    );
    const position = new Map(event.Records.map((record, i) => [record, i]));
    const inStreamOrder = (entries: Iterable<Entry>) =>
      [...entries].sort((a, b) => position.get(a.record)! - position.get(b.record)!);
    const succeeded = () => inStreamOrder(published.filter((e) => !failed.has(e)));
    // 2. The bus, for the events the topic took.
    const sent = bus ? succeeded() : [];
    if (bus && sent.length) {
      let refused: { eventId: string; reason: string }[];
      try {
        refused = await bus.publishAll(
          sent.map((e) => ({ event: e.event!, ...(e.traceHeader ? { traceHeader: e.traceHeader } : {}) })),
        );
      } catch (error) {
        refused = sent.map((e) => ({ eventId: e.event!.id, reason: String(error) }));
      }
      for (const r of refused) {
        const entry = sent.find((e) => e.event!.id === r.eventId);
        if (entry)
          fail(entry, `The bus refused the event (${r.reason}); the stream retries from this record`);
      }
    }
    // 3. The marks, for the events that went everywhere. After the publishes: a crash in between
    // republishes (consumers are idempotent), never loses.
    const done = succeeded();
    let unmarked = new Set<string>();
    if (marker && done.length) {
      try {
        unmarked = new Set(await marker.markAllPublished(done.map((e) => e.item!)));
      } catch (error) {
        logger.error('Marking failed', { error: error as Error });
        unmarked = new Set(done.map((e) => e.event!.id));
      }
    }
    for (const entry of done) {
      if (unmarked.has(entry.event!.id)) {
        fail(entry, 'Published, but not marked; the stream retries from this record');
        continue;
      }
      logger.info('Event published', {
        type: entry.event!.type,
        eventId: entry.event!.id,
        correlationId: entry.event!.correlationId,
      });
    }
    return {
      batchItemFailures: inStreamOrder(failed).map((e) => ({
        itemIdentifier: e.record.dynamodb!.SequenceNumber!,
      })),
    };
  });
}
