import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledgeDeadLetterQueue } from './nag';

/**
 * A dead-letter queue (encrypted, TLS only, 14 days) and an alarm as soon as it holds one message, as the
 * children `Dlq` and `DlqAlarm` of `scope`. `role` says what fails into it (for cdk-nag and the alarm).
 */
export function deadLetterQueue(
  scope: Construct,
  role: string,
): { queue: sqs.Queue; alarm: cloudwatch.Alarm } {
  const queue = new sqs.Queue(scope, 'Dlq', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledgeDeadLetterQueue(queue, role);
  const alarm = new cloudwatch.Alarm(scope, 'DlqAlarm', {
    alarmDescription: `Messages in the ${role} (${scope.node.path})`,
    metric: queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: 'Maximum',
    }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  return { queue, alarm };
}
