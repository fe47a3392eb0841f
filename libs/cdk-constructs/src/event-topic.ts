import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ssmName } from './ssm-names';

export interface EventTopicProps {
  stage: string;
  service: string;
}

/**
 * The SNS topic a service publishes its events to: encrypted with the AWS managed SNS key, TLS only, and
 * announced to other services through the SSM parameter `/order-platform/<stage>/<service>/topic-arn`.
 */
export class EventTopic extends Construct {
  readonly topic: sns.Topic;
  readonly parameter: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: EventTopicProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `${props.service} events`,
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
      enforceSSL: true,
      // Active tracing: an order's X-Ray trace continues through the topic to its subscribers.
      tracingConfig: sns.TracingConfig.ACTIVE,
    });
    this.parameter = new ssm.StringParameter(this, 'TopicArnParameter', {
      parameterName: ssmName(props.stage, props.service, 'topic-arn'),
      stringValue: this.topic.topicArn,
      description: `ARN of the ${props.service} event topic`,
    });
  }
}

/** A service's event topic, found through its SSM parameter (the topics live in the platform stack). */
export function serviceTopic(scope: Construct, id: string, stage: string, service: string): sns.ITopic {
  return sns.Topic.fromTopicArn(
    scope,
    id,
    ssm.StringParameter.valueForStringParameter(scope, ssmName(stage, service, 'topic-arn')),
  );
}
