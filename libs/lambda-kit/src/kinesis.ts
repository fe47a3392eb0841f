import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type {
  Context,
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import { inRecordScope, instrumented, logger, metrics } from './powertools';

/**
 * A Kinesis handler that decodes each record's data as JSON and processes the records one by one, in
 * order, reporting partial batch failures: the stream retries from the first failed record (bisecting on
 * error) and, once its retries are spent, hands the batch to the mapping's on-failure destination. Data
 * that is not JSON fails its record the same way, never dropped.
 */
export function kinesisHandler(
  recordHandler: (data: unknown, record: KinesisStreamRecord) => Promise<void>,
): (event: KinesisStreamEvent, context: Context) => Promise<KinesisStreamBatchResponse> {
  return instrumented(async (event: KinesisStreamEvent, context: Context) => {
    const processor = new BatchProcessor(EventType.KinesisDataStreams);
    metrics.addMetric('RecordsReceived', MetricUnit.Count, event.Records.length);
    return processPartialResponse(
      event,
      async (record: KinesisStreamRecord) => {
        try {
          const data = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')) as unknown;
          // A Kinesis record carries no trace: its changes stay in the invocation's, under its own subsegment.
          await inRecordScope(undefined, true, () => recordHandler(data, record));
        } catch (error) {
          logger.error('Record failed', { sequenceNumber: record.kinesis.sequenceNumber, error });
          throw error;
        } finally {
          logger.resetKeys();
        }
      },
      processor,
      { context },
    );
  });
}
