import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient, DynamoDbOutbox, SnsEventPublisher } from '@order-platform/aws-adapters';
import { outboxPublisherHandler, traced } from '@order-platform/lambda-kit';
import { publisherConfig } from '../publisher-config';

/** The faturas outbox: publishes every event recorded in the table to the faturas topic. */
export const handler = outboxPublisherHandler(
  new SnsEventPublisher(traced(new SNSClient({})), publisherConfig.EVENT_TOPIC_ARN),
  new DynamoDbOutbox(documentClient(traced(new DynamoDBClient({}))), publisherConfig.OUTBOX_TABLE_NAME),
);
