import { Duration, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';
import { ssmName } from './ssm-names';

/** Where order outcomes go (the ERP, a webhook): an HTTPS endpoint and the API key it expects. */
export interface OutcomeWebhook {
  url: string;
  /** The header that carries the key (default `x-api-key`). */
  apiKeyHeader?: string;
  /** The key: a Secrets Manager secret's name or ARN (its whole value), or, for the local stage only, text. */
  apiKey: { secretName: string } | { localValue: string };
}

export interface IntegrationBusProps {
  stage: string;
  /** How long the archive keeps events (0: for ever). */
  archiveRetentionDays: number;
  /** How long the audit log keeps events. */
  auditRetention?: logs.RetentionDays;
  /** Order outcomes are sent here; without it the stage has no outcome rule. */
  outcomeWebhook?: OutcomeWebhook;
  removalPolicy?: RemovalPolicy;
}

/** The domain event types the outcome rule forwards. */
export const OUTCOME_EVENT_TYPES = ['OrderCompleted', 'OrderCancelled', 'OrderRejected'];

/**
 * The stage's integration bus (ADR 0015): every domain event of every service, put by the outbox
 * publishers once it is committed (`source` `order-platform.<service>`, `detail-type` its type, `detail`
 * its envelope), with an archive for replays, an audit rule that writes every event to a log group, and,
 * where configured, an outcome rule that posts `OrderCompleted`/`OrderCancelled`/`OrderRejected` to an
 * API destination (with a dead-letter queue and its alarm). Announced as
 * `/order-platform/<stage>/platform/event-bus-{name,arn}`.
 */
export class IntegrationBus extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;
  readonly auditLog: logs.LogGroup;

  constructor(scope: Construct, id: string, props: IntegrationBusProps) {
    super(scope, id);
    const name = `order-platform-${props.stage}`;
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: name });
    const ours = { source: events.Match.prefix('order-platform.') };
    this.archive = this.bus.archive('Archive', {
      archiveName: name,
      description: `Every domain event of ${props.stage}, for replays`,
      eventPattern: ours,
      retention: Duration.days(props.archiveRetentionDays),
    });

    // Audit: every event, as it was put, in a log group. The resource policy is declared natively (the
    // CDK target would add a custom resource, a Lambda of its own, to write it).
    this.auditLog = new logs.LogGroup(this, 'AuditLog', {
      logGroupName: `/aws/events/${name}/audit`,
      retention: props.auditRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    new logs.ResourcePolicy(this, 'AuditLogPolicy', {
      resourcePolicyName: `${name}-audit`,
      policyStatements: [
        new iam.PolicyStatement({
          principals: [
            new iam.ServicePrincipal('events.amazonaws.com'),
            new iam.ServicePrincipal('delivery.logs.amazonaws.com'),
          ],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${this.auditLog.logGroupArn}`],
        }),
      ],
    });
    const audit = new events.Rule(this, 'AuditRule', {
      eventBus: this.bus,
      description: 'Every domain event to the audit log',
      eventPattern: ours,
    });
    const auditLogArn = this.auditLog.logGroupArn;
    const auditDlq = new Construct(this, 'AuditFailures');
    const { queue: auditFailures } = deadLetterQueue(auditDlq, 'audit events the log group did not take');
    audit.addTarget({
      bind: (rule) => {
        targets.addToDeadLetterQueueResourcePolicy(rule, auditFailures);
        return {
          arn: auditLogArn,
          deadLetterConfig: { arn: auditFailures.queueArn },
          retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 },
        };
      },
    });

    if (props.outcomeWebhook) {
      const hook = props.outcomeWebhook;
      const key =
        'secretName' in hook.apiKey
          ? SecretValue.secretsManager(hook.apiKey.secretName)
          : SecretValue.unsafePlainText(hook.apiKey.localValue);
      const connection = new events.Connection(this, 'OutcomeConnection', {
        description: 'The order outcome webhook (ERP)',
        authorization: events.Authorization.apiKey(hook.apiKeyHeader ?? 'x-api-key', key),
      });
      const destination = new events.ApiDestination(this, 'OutcomeDestination', {
        connection,
        endpoint: hook.url,
        httpMethod: events.HttpMethod.POST,
        rateLimitPerSecond: 50,
        description: 'Order outcomes, to the ERP or a webhook',
      });
      const { queue } = deadLetterQueue(this, 'order outcomes the webhook did not take');
      new events.Rule(this, 'OutcomeRule', {
        eventBus: this.bus,
        description: 'Order outcomes to the configured webhook',
        eventPattern: { ...ours, detailType: OUTCOME_EVENT_TYPES },
        targets: [
          new targets.ApiDestination(destination, {
            deadLetterQueue: queue,
            retryAttempts: 185,
            maxEventAge: Duration.hours(24),
          }),
        ],
      });
    }

    for (const [resource, value] of Object.entries({
      'event-bus-name': this.bus.eventBusName,
      'event-bus-arn': this.bus.eventBusArn,
    }))
      new ssm.StringParameter(this, `Param-${resource}`, {
        parameterName: ssmName(props.stage, 'platform', resource),
        stringValue: value,
      });
  }
}

/** The stage's integration bus, found through its SSM parameter (it lives in the platform stack). */
export function integrationBus(scope: Construct, id: string, stage: string): events.IEventBus {
  return events.EventBus.fromEventBusArn(
    scope,
    id,
    ssm.StringParameter.valueForStringParameter(scope, ssmName(stage, 'platform', 'event-bus-arn')),
  );
}
