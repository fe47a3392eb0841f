import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { AnyEventEnvelope, parseEvent, type DomainEvent } from '@order-platform/contracts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { inRecordScope, instrumented, logger, metrics, withCorrelation } from './powertools';

/**
 * Unwraps an SQS body that carries one event: raw SNS delivery puts the event itself in the body;
 * without raw delivery the body is an SNS notification whose `Message` holds the event.
 */
export function eventFromSqsBody(body: string): unknown {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  if (parsed['Type'] === 'Notification' && typeof parsed['Message'] === 'string')
    return JSON.parse(parsed['Message']);
  return parsed;
}

/**
 * An SQS handler that processes each record on its own and reports partial batch failures, so only the
 * failed messages return to the queue (and, after maxReceiveCount, to its DLQ).
 */
export interface BatchOptions {
  /**
   * Process the records of a batch at the same time. For records that wait on independent outside parties
   * (partner callbacks): one slow party then delays the batch by its own timeout only, instead of pushing
   * the others past the function's timeout. Records of one order may then be handled out of order.
   */
  parallel?: boolean;
  /**
   * Called for each record that failed, before it returns to the queue: e.g. to retry it sooner than the
   * visibility timeout (`sqsRetryBackoff`). Its own failure is logged, never added to the record's.
   */
  onFailure?: (record: SQSRecord) => Promise<void>;
}

/** A record of a batch left for a later delivery because the invocation's time was running out. */
export class NotAttemptedError extends Error {
  constructor(messageId: string) {
    super(`Not attempted: too little time left in this invocation for message ${messageId}`);
    this.name = 'NotAttemptedError';
  }
}

/**
 * The time a sequential batch keeps in reserve: once less than this is left, the remaining records are
 * not started but reported as failures (and retried soon), so the invocation never times out with the
 * whole batch — done records included — going back to wait out the queue's visibility timeout.
 */
export const timeReserveMs = (atStartMs: number) => Math.max(1000, Math.round(atStartMs * 0.25));

export function sqsHandler(
  recordHandler: (record: SQSRecord) => Promise<void>,
  options: BatchOptions = {},
): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  return instrumented(async (event: SQSEvent, context: Context) => {
    const processor = new BatchProcessor(EventType.SQS);
    metrics.addMetric('RecordsReceived', MetricUnit.Count, event.Records.length);
    const remaining = () => context.getRemainingTimeInMillis?.();
    const atStart = remaining();
    const reserve = atStart === undefined || options.parallel ? undefined : timeReserveMs(atStart);
    return processPartialResponse(
      event,
      async (record: SQSRecord) => {
        try {
          if (reserve !== undefined && (remaining() ?? Infinity) < reserve)
            throw new NotAttemptedError(record.messageId);
          // In the trace the message came with (SNS and SQS carry it), whichever record leads the batch.
          await inRecordScope(record.attributes?.AWSTraceHeader, !options.parallel, () =>
            recordHandler(record),
          );
        } catch (error) {
          if (error instanceof NotAttemptedError)
            logger.warn('Record left for a later delivery', { messageId: record.messageId });
          else logger.error('Record failed', { messageId: record.messageId, error });
          await options
            .onFailure?.(record)
            .catch((e: Error) =>
              logger.warn('Could not schedule the retry', { messageId: record.messageId, error: e.message }),
            );
          throw error;
        } finally {
          if (!options.parallel) logger.resetKeys();
        }
      },
      processor,
      // By default one record at a time: log keys (the correlation id) stay right, and an order's events
      // keep their order.
      { context, processInParallel: options.parallel ?? false },
    );
  });
}

/**
 * An SQS handler for domain events delivered from SNS: validates each envelope against its contract,
 * tags logs with its correlation id and passes the typed event on. An unknown or invalid event fails its
 * record, so it ends in the DLQ instead of being dropped.
 */
export function eventHandler(
  handle: (event: DomainEvent, record: SQSRecord) => Promise<void>,
  options: BatchOptions = {},
): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  return sqsHandler(async (record) => {
    const raw = eventFromSqsBody(record.body);
    const head = AnyEventEnvelope.safeParse(raw);
    if (head.success) withCorrelation(head.data.correlationId);
    const event = parseEvent(raw);
    if (options.parallel) {
      logger.info('Event received', { type: event.type, eventId: event.id });
    } else {
      // One record at a time: every line this record's handling logs (its outcome, or why it failed) names
      // the event, so a line of its own to say it arrived is only worth writing when debugging (it was a
      // third of the platform's log volume, which CloudWatch bills by the byte).
      logger.appendKeys({ eventType: event.type, eventId: event.id });
      logger.debug('Event received');
    }
    await handle(event, record);
  }, options);
}
