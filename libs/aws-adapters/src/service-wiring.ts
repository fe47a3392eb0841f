// What every service wires the same way: built here once, called from each service's composition root.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { configSection, lazy, traced } from '@order-platform/lambda-kit';
import * as z from '@order-platform/contracts/zod';
import { documentClient } from './clients';
import { DynamoDbOutbox } from './dynamodb-outbox';
import { SnsEventPublisher } from './sns-event-publisher';
import { EventBridgePublisher } from './eventbridge-publisher';
import { sqsRetryBackoff, type SqsMessageRef } from './sqs-backoff';

const publisherConfig = configSection(
  z.object({
    EVENT_TOPIC_ARN: z.string().check(z.minLength(1)),
    OUTBOX_TABLE_NAME: z.string().check(z.minLength(1)),
    EVENT_BUS_ARN: z.optional(z.string().check(z.minLength(1))),
  }),
);

/**
 * A service's outbox publisher: its table's outbox records to its topic (`EVENT_TOPIC_ARN`,
 * `OUTBOX_TABLE_NAME`) and then to the stage's integration bus (`EVENT_BUS_ARN`, ADR 0015).
 */
export function outboxPublishing(): {
  publisher: SnsEventPublisher;
  bus?: EventBridgePublisher;
  marker: DynamoDbOutbox;
} {
  const { EVENT_TOPIC_ARN, OUTBOX_TABLE_NAME, EVENT_BUS_ARN } = publisherConfig();
  return {
    publisher: new SnsEventPublisher(traced(new SNSClient({})), EVENT_TOPIC_ARN),
    ...(EVENT_BUS_ARN
      ? { bus: new EventBridgePublisher(traced(new EventBridgeClient({})), EVENT_BUS_ARN) }
      : {}),
    marker: new DynamoDbOutbox(documentClient(traced(new DynamoDBClient({}))), OUTBOX_TABLE_NAME),
  };
}

/**
 * The consumers' retry: a failed message comes back after `base`, 2 × `base`, 4 × `base`... seconds (2 by
 * default) instead of the queue's visibility timeout. The SQS client is made on the first failure.
 */
export function retryWithBackoff(options: { baseSeconds?: number; maxSeconds?: number } = {}): {
  onFailure: (message: SqsMessageRef) => Promise<void>;
} {
  // The client's endpoint, not each queue URL's host: in AWS they agree; an emulator's queue URLs
  // (`http://sqs.<region>.127.0.0.1:<port>/...`) are not valid URLs, and the SDK warned at every retry.
  const backoff = lazy(() =>
    sqsRetryBackoff(traced(new SQSClient({ useQueueUrlAsEndpoint: false })), options),
  );
  return { onFailure: (message) => backoff()(message) };
}
