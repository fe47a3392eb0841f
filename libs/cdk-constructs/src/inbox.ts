import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { ServiceFunction } from './service-function';
import { ssmName } from './ssm-names';
import { deadLetterQueue } from './dead-letter-queue';
import { acknowledge } from './nag';

export interface InboxSource {
  /** The publishing service; its topic ARN is read from `/order-platform/<stage>/<service>/topic-arn`. */
  service: string;
  /** Event types to receive (SNS filter policy on the `type` message attribute); omit for every event. */
  eventTypes?: string[];
  /**
   * Orders' channels to receive (on the `channel` attribute order events carry); events without the
   * attribute (written before it existed) still come, so nothing in flight is dropped by a deploy.
   */
  channels?: string[];
}

export interface InboxProps {
  stage: string;
  sources: InboxSource[];
  /** The consumer; omitted when something else (an API Gateway integration) feeds the queue directly. */
  consumer?: ServiceFunction;
  batchSize?: number;
  /**
   * How long the event source may gather messages before it invokes (none by default). For consumers off
   * an order's critical path (the dashboard, mails, invoices): fewer, fuller invocations cost less per
   * message than one invocation each, at the price of that much delay.
   */
  maxBatchingWindow?: Duration;
  maxConcurrency?: number;
  maxReceiveCount?: number;
  /** At least six times the consumer's timeout, as AWS advises for SQS event sources. */
  visibilityTimeout?: Duration;
}

/**
 * A service's inbox: an SQS queue subscribed (raw delivery, filter policy) to other services' topics, a
 * DLQ that takes a message after `maxReceiveCount` failed receives and an undeliverable SNS message, an
 * alarm as soon as the DLQ holds anything, and the consumer's event source mapping with partial batch
 * responses and a concurrency cap.
 */
export class Inbox extends Construct {
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
  readonly dlqAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: InboxProps) {
    super(scope, id);
    const dead = deadLetterQueue(this, 'dead-letter queue of this inbox and of its SNS subscriptions');
    this.dlq = dead.queue;
    this.dlqAlarm = dead.alarm;
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout ?? Duration.seconds(60),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });

    for (const source of props.sources) {
      const topic = sns.Topic.fromTopicArn(
        this,
        `${pascal(source.service)}Topic`,
        ssm.StringParameter.valueForStringParameter(this, ssmName(props.stage, source.service, 'topic-arn')),
      );
      topic.addSubscription(
        new subscriptions.SqsSubscription(this.queue, {
          rawMessageDelivery: true,
          deadLetterQueue: this.dlq,
          filterPolicy:
            source.eventTypes || source.channels
              ? {
                  ...(source.eventTypes
                    ? { type: sns.SubscriptionFilter.stringFilter({ allowlist: source.eventTypes }) }
                    : {}),
                  ...(source.channels
                    ? { channel: new sns.SubscriptionFilter([...source.channels, { exists: false }]) }
                    : {}),
                }
              : undefined,
        }),
      );
    }

    if (props.consumer) {
      // The consumer may bring a failed message back sooner than the visibility timeout (backoff).
      props.consumer.function.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl'],
          resources: [this.queue.queueArn],
        }),
      );
      props.consumer.function.addEventSource(
        new lambdaEvents.SqsEventSource(this.queue, {
          batchSize: props.batchSize ?? 10,
          maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(0),
          maxConcurrency: props.maxConcurrency ?? 5,
          reportBatchItemFailures: true,
        }),
      );
      acknowledge(
        props.consumer.function,
        'Serverless-LambdaEventSourceMappingDestination',
        "SQS mappings take no on-failure destination: a failing message returns to the queue and its redrive policy moves it to this inbox's DLQ.",
      );
    }
  }
}

function pascal(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
