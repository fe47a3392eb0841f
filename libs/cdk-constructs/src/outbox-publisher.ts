import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ServiceFunction } from './service-function';
import { deadLetterQueue } from './dead-letter-queue';
import { integrationBus } from './integration-bus';
import { ssmName } from './ssm-names';

export interface OutboxPublisherProps {
  table: dynamodb.ITable;
  topic: sns.ITopic;
  /** The function built from the service's `publish-events` handler. */
  publisher: ServiceFunction;
  /** Announces the table as `/order-platform/<stage>/<service>/table-name`, for the outbox replay tool. */
  stage: string;
  service: string;
  /** Alarm when the oldest record the publisher reads is older than this (default 5 minutes). */
  maxAge?: Duration;
  /** Where the bundles live (the service's `replay-outbox` handler among them); the workspace's by default. */
  distDir?: string;
}

/**
 * Wires a service's outbox: the table stream, filtered to inserted outbox records, feeds the publisher
 * function, which may publish to the service topic and put to the stage's integration bus (ADR 0015), and
 * nothing else. Records that still fail after the
 * retries go to a DLQ (with an alarm) rather than blocking the shard or vanishing.
 */
export class OutboxPublisher extends Construct {
  readonly dlq: sqs.Queue;
  /** Events wait in the outbox longer than `maxAge`: the publisher is failing, throttled or behind. */
  readonly ageAlarm: cloudwatch.Alarm;
  /**
   * The operator's replay (the service's `replay-outbox` handler): republishes records never marked
   * published, one order's or all, when invoked; announced as `/order-platform/<stage>/<service>/replay-function-arn`.
   */
  readonly replayer: ServiceFunction;

  constructor(scope: Construct, id: string, props: OutboxPublisherProps) {
    super(scope, id);
    this.dlq = deadLetterQueue(this, 'outbox records that could not be published').queue;
    props.publisher.function.addEnvironment('EVENT_TOPIC_ARN', props.topic.topicArn);
    props.publisher.function.addEnvironment('OUTBOX_TABLE_NAME', props.table.tableName);
    props.topic.grantPublish(props.publisher.function);
    const bus = integrationBus(this, 'Bus', props.stage);
    props.publisher.function.addEnvironment('EVENT_BUS_ARN', bus.eventBusArn);
    bus.grantPutEventsTo(props.publisher.function);
    // It marks outbox records published (written back whole, 25 per call), and may touch no other item of
    // the table.
    props.publisher.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:BatchWriteItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OUTBOX#*'] } },
      }),
    );
    this.replayer = new ServiceFunction(this, 'Replay', {
      service: props.service,
      handler: 'replay-outbox',
      timeout: Duration.minutes(5),
      ...(props.distDir ? { distDir: props.distDir } : {}),
      environment: {
        EVENT_TOPIC_ARN: props.topic.topicArn,
        OUTBOX_TABLE_NAME: props.table.tableName,
        EVENT_BUS_ARN: bus.eventBusArn,
      },
    });
    props.topic.grantPublish(this.replayer.function);
    bus.grantPutEventsTo(this.replayer.function);
    // It reads the table to find unpublished records (a scan: an operator's action), and marks them.
    this.replayer.function.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:Scan'], resources: [props.table.tableArn] }),
    );
    this.replayer.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OUTBOX#*'] } },
      }),
    );
    new ssm.StringParameter(this, 'ReplayFunctionParameter', {
      parameterName: ssmName(props.stage, props.service, 'replay-function-arn'),
      stringValue: this.replayer.function.functionArn,
      description: `The ${props.service} outbox replay, for the painel operations view`,
    });
    new ssm.StringParameter(this, 'TableNameParameter', {
      parameterName: ssmName(props.stage, props.service, 'table-name'),
      stringValue: props.table.tableName,
      description: `The ${props.service} table, for the outbox replay tool`,
    });
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
    this.ageAlarm = new cloudwatch.Alarm(this, 'AgeAlarm', {
      alarmDescription: `Outbox records of ${props.service} wait to be published longer than allowed (${this.node.path})`,
      metric: props.publisher.function.metric('IteratorAge', {
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: (props.maxAge ?? Duration.minutes(5)).toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
