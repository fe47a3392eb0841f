import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ServiceFunction } from './service-function';
import { deadLetterQueue } from './dead-letter-queue';

export interface OutboxPublisherProps {
  table: dynamodb.ITable;
  topic: sns.ITopic;
  /** The function built from the service's `publish-events` handler. */
  publisher: ServiceFunction;
}

/**
 * Wires a service's outbox: the table stream, filtered to inserted outbox records, feeds the publisher
 * function, which may publish to the service topic and nothing else. Records that still fail after the
 * retries go to a DLQ (with an alarm) rather than blocking the shard or vanishing.
 */
export class OutboxPublisher extends Construct {
  readonly dlq: sqs.Queue;

  constructor(scope: Construct, id: string, props: OutboxPublisherProps) {
    super(scope, id);
    this.dlq = deadLetterQueue(this, 'outbox records that could not be published').queue;
    props.publisher.function.addEnvironment('EVENT_TOPIC_ARN', props.topic.topicArn);
    props.topic.grantPublish(props.publisher.function);
    props.publisher.function.addEventSource(
      new lambdaEvents.DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        retryAttempts: 10,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: new lambdaEvents.SqsDlq(this.dlq),
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { kind: { S: lambda.FilterRule.isEqual('outbox') } } },
          }),
        ],
      }),
    );
  }
}
