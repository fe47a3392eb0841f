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

/** Records that an outbox record's event reached the topic (the replay tool skips those). */
export interface OutboxMarker {
  markPublished(eventId: string): Promise<void>;
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
 * event it holds, then marks the record published.
 *
 * Events of one order (see `orderingKey`) are published one after the other, in stream order; different
 * orders' events go out side by side (one at a time, a busy outbox published ~50 events/s and held the whole
 * pipeline back). When a publish fails, that order's later records in the batch are not attempted, and all
 * are reported as failures: the stream retries from the first failed record, so nothing is lost and no
 * order's events overtake each other (events of other orders after it may be published twice, which the
 * consumers' idempotency absorbs).
 */
export function outboxPublisherHandler(
  outbox: () => { publisher: EventPublisher; marker?: OutboxMarker },
): (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse> {
  return instrumented(async (event: DynamoDBStreamEvent) => {
    const { publisher, marker } = outbox();
    metrics.addMetric('RecordsReceived', MetricUnit.Count, event.Records.length);
    type Entry = { record: DynamoDBRecord; event?: DomainEvent; error?: unknown; traceHeader?: string };
    const groups = new Map<string, Entry[]>();
    for (const record of event.Records) {
      if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
      const item = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>);
      if (item['kind'] !== OUTBOX_KIND) continue;
      let entry: Entry;
      const traceHeader = typeof item['traceHeader'] === 'string' ? item['traceHeader'] : undefined;
      try {
        entry = { record, event: parseEvent(item['event']), traceHeader };
      } catch (error) {
        entry = { record, error };
      }
      const key = entry.event ? orderingKey(entry.event) : `record:${record.dynamodb.SequenceNumber}`;
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
    const failed: string[] = [];
    await Promise.all(
      [...groups.values()].map(async (group) => {
        for (const [i, entry] of group.entries()) {
          try {
            if (!entry.event) throw entry.error;
            await publisher.publish(entry.event, entry.traceHeader ? { traceHeader: entry.traceHeader } : {});
            // After the publish: a crash in between republishes (consumers are idempotent), never loses.
            await marker?.markPublished(entry.event.id);
            logger.info('Event published', {
              type: entry.event.type,
              eventId: entry.event.id,
              correlationId: entry.event.correlationId,
            });
          } catch (error) {
            logger.error('Publish failed; the stream retries from this record', {
              error: error as Error,
              eventId: entry.event?.id,
            });
            failed.push(...group.slice(i).map((e) => e.record.dynamodb!.SequenceNumber!));
            return;
          }
        }
      }),
    );
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  });
}
