import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Acknowledges a cdk-nag finding on a construct (and its children); every acknowledgement names its reason. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** The `<LogicalId.Arn>` token cdk-nag prints for a resource in wildcard findings. */
export function arnToken(resource: IConstruct): string {
  const cfn = resource.node.defaultChild as CfnElement;
  return `<${Stack.of(resource).getLogicalId(cfn)}.Arn>`;
}

/** For a queue that is itself a dead-letter queue or an on-failure destination: it needs no DLQ of its own. */
export function acknowledgeDeadLetterQueue(queue: IConstruct, role: string): void {
  acknowledge(queue, 'AwsSolutions-SQS3', `This queue is the ${role}; a DLQ of a DLQ adds nothing.`);
  acknowledge(
    queue,
    'Serverless-SQSRedrivePolicy',
    `This queue is the ${role}; a DLQ of a DLQ adds nothing.`,
  );
}
