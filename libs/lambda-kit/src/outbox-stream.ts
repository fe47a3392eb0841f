import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { parseEvent, type DomainEvent } from '@order-platform/contracts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { instrumented, logger, metrics, withCorrelation } from './powertools';

/** The port an outbox publisher sends events through (SNS in AWS and locally). */
export interface EventPublisher {
  publish(event: DomainEvent): Promise<void>;
}

/** Records that an outbox record's event reached the topic (the replay tool skips those). */
export interface OutboxMarker {
  markPublished(eventId: string): Promise<void>;
}

/** Attribute that marks an item as an outbox record; the stream mapping filters on it. */
export const OUTBOX_KIND = 'outbox';

/**
 * The DynamoDB stream handler of a service's outbox: for each newly inserted outbox record, publishes the
 * event it holds, then marks the record published. Failures are reported per record so the stream retries
 * from the first failed one.
 */
export function outboxPublisherHandler(
  outbox: () => { publisher: EventPublisher; marker?: OutboxMarker },
): (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse> {
  return instrumented(async (event: DynamoDBStreamEvent, context: Context) => {
    const { publisher, marker } = outbox();
    metrics.addMetric('RecordsReceived', MetricUnit.Count, event.Records.length);
    const processor = new BatchProcessor(EventType.DynamoDBStreams);
    return processPartialResponse(
      event,
      async (record: DynamoDBRecord) => {
        if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return;
        const item = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>);
        if (item['kind'] !== OUTBOX_KIND) return;
        const domainEvent = parseEvent(item['event']);
        withCorrelation(domainEvent.correlationId);
        await publisher.publish(domainEvent);
        // After the publish: a crash in between republishes (consumers are idempotent), never loses.
        await marker?.markPublished(domainEvent.id);
        logger.info('Event published', { type: domainEvent.type, eventId: domainEvent.id });
        logger.resetKeys();
      },
      processor,
      // In stream order, one record at a time: events of an order are published in the order they happened.
      { context, processInParallel: false },
    );
  });
}
