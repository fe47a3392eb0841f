import { Duration, type Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { ssmName } from './ssm-names';

/** The stage's alarm topic, found through `/order-platform/<stage>/platform/alarm-topic-arn`. */
export function alarmTopic(scope: Construct, stage: string): sns.ITopic {
  return sns.Topic.fromTopicArn(
    scope,
    'StageAlarmTopic',
    ssm.StringParameter.valueForStringParameter(scope, ssmName(stage, 'platform', 'alarm-topic-arn')),
  );
}

/**
 * Wires every alarm of `stack` to `topic` (alarm and back to OK), so that no alarm fires unseen. Call it
 * once the stack is complete; returns how many alarms it wired.
 */
export function notifyOnAlarms(stack: Stack, topic: sns.ITopic): number {
  const action = new actions.SnsAction(topic);
  const alarms = stack.node.findAll().filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm);
  for (const alarm of alarms) {
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
  return alarms.length;
}

/**
 * A CloudWatch dashboard of one service, built from what its stack holds: per queue the depth and the age
 * of the oldest message (dead-letter queues first), per function errors, throttles and duration (p50, p99).
 */
export function serviceDashboard(stack: Stack, service: string): cloudwatch.Dashboard {
  const all = stack.node.findAll();
  const queues = all.filter((c): c is sqs.Queue => c instanceof sqs.Queue);
  const functions = all.filter(
    (c): c is lambda.Function => c instanceof lambda.Function && !c.node.path.includes('Custom::'),
  );
  const period = Duration.minutes(1);
  const isDlq = (q: sqs.Queue) => q.node.id === 'Dlq' || q.node.id === 'AsyncDlq';
  const label = (c: Construct) => c.node.scope?.node.id ?? c.node.id;
  const dlqs = queues.filter(isDlq);
  const inboxes = queues.filter((q) => !isDlq(q));
  const dashboard = new cloudwatch.Dashboard(stack, 'OperationsDashboard', {
    defaultInterval: Duration.hours(3),
  });
  dashboard.addWidgets(
    new cloudwatch.TextWidget({
      markdown: `# ${service}\nDead-letter queues should stay at 0; every DLQ alarm notifies the stage's alarm topic.`,
      width: 24,
      height: 2,
    }),
  );
  const queueWidgets = (title: string, list: sqs.Queue[]) => [
    new cloudwatch.GraphWidget({
      title: `${title}: messages visible`,
      width: 12,
      left: list.map((q) =>
        q.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum', label: label(q) }),
      ),
    }),
    new cloudwatch.GraphWidget({
      title: `${title}: age of oldest message (s)`,
      width: 12,
      left: list.map((q) =>
        q.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum', label: label(q) }),
      ),
    }),
  ];
  if (dlqs.length) dashboard.addWidgets(...queueWidgets('Dead-letter queues', dlqs));
  if (inboxes.length) dashboard.addWidgets(...queueWidgets('Inboxes', inboxes));
  if (functions.length) {
    const name = (f: lambda.Function) => f.node.scope?.node.id ?? f.node.id;
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Errors',
        width: 8,
        left: functions.map((f) => f.metricErrors({ period, statistic: 'Sum', label: name(f) })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Throttles',
        width: 8,
        left: functions.map((f) => f.metricThrottles({ period, statistic: 'Sum', label: name(f) })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Duration p99 (ms)',
        width: 8,
        left: functions.map((f) => f.metricDuration({ period, statistic: 'p99', label: name(f) })),
      }),
    );
  }
  return dashboard;
}
