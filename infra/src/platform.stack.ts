import { PUBLISHING_SERVICES } from './services';
import { Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as xray from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import {
  acknowledge,
  EventTopic,
  IntegrationBus,
  ssmName,
  type IntegrationBusProps,
} from '@order-platform/cdk-constructs';

export interface PlatformStackProps extends StackProps {
  stage: string;
  removalPolicy: RemovalPolicy;
  /** Subscribed by e-mail to the stage's alarm topic. */
  alarmEmail?: string;
  /** The integration bus: archive retention and the outcome webhook (ADR 0015). */
  events: Pick<IntegrationBusProps, 'archiveRetentionDays' | 'outcomeWebhook'>;
}

/**
 * What every service shares: the Cognito user pool (groups `customers` and `admins`) with its app client,
 * and each service's event topic, announced through SSM parameters under `/order-platform/<stage>/`.
 */
export class PlatformStack extends Stack {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  /** Every alarm of the stage notifies this topic. */
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      // A changed address takes effect only once verified; until then the old one stays in use.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is offered (TOTP, optional): customers of a shop are not forced into it; admins are expected to enrol.',
      },
      {
        id: 'AwsSolutions-COG3',
        reason:
          'Threat protection (advanced security) needs the Plus feature plan, a per-installation cost decision.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason:
          'The Plus feature plan is a per-installation cost decision; the Essentials plan covers sign-in, groups and MFA.',
      },
    );
    new cognito.CfnUserPoolGroup(this, 'CustomersGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: 'customers',
      description: 'Customers who place orders through the REST API',
    });
    new cognito.CfnUserPoolGroup(this, 'AdminsGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: 'admins',
      description: 'Administrators: catalog, every order, the live dashboard',
    });
    this.client = this.userPool.addClient('WebClient', {
      authFlows: { userPassword: true, userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    // The services' event topics live here, one per service, so that any service stack can subscribe to
    // any other's (pedidos ⇄ produtos both ways) and every stack still deploys on its own (ADR 0005).
    for (const service of PUBLISHING_SERVICES) {
      new EventTopic(this, `${service.charAt(0).toUpperCase()}${service.slice(1)}Events`, {
        stage: props.stage,
        service,
      });
    }

    // Every domain event, once committed, also on the stage's integration bus (ADR 0015).
    new IntegrationBus(this, 'IntegrationBus', {
      stage: props.stage,
      removalPolicy: props.removalPolicy,
      ...props.events,
    });

    // Alarms of every stack notify this topic. CloudWatch cannot use the AWS managed SNS key, so the
    // topic has a key of its own that CloudWatch may use.
    const alarmKey = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the alarm topic; CloudWatch alarms may publish to it',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    alarmKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `order-platform ${props.stage} alarms`,
      masterKey: alarmKey,
      enforceSSL: true,
    });
    if (props.alarmEmail) {
      const email = this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
      acknowledge(
        email,
        'Serverless-SNSRedrivePolicy',
        "The only subscription is a person's e-mail: SNS retries it, and a DLQ of alarm mails would only raise an alarm to this same topic.",
      );
    }

    // SNS sends the segments of actively traced topics to X-Ray only when X-Ray lets it.
    new xray.CfnResourcePolicy(this, 'SnsTracingPolicy', {
      policyName: `order-platform-${props.stage}-sns-tracing`,
      policyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'SnsActiveTracing',
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Action: ['xray:PutTraceSegments', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': this.account } },
          },
        ],
      }),
    });

    const parameters: Record<string, string> = {
      'alarm-topic-arn': this.alarmTopic.topicArn,
      'user-pool-id': this.userPool.userPoolId,
      'user-pool-arn': this.userPool.userPoolArn,
      'user-pool-client-id': this.client.userPoolClientId,
      // The ID tokens' issuer (`https://cognito-idp.<region>.amazonaws.com/<poolId>`), for verifiers.
      'user-pool-provider-url': this.userPool.userPoolProviderUrl,
    };
    for (const [resource, value] of Object.entries(parameters)) {
      new ssm.StringParameter(this, `Param-${resource}`, {
        parameterName: ssmName(props.stage, 'platform', resource),
        stringValue: value,
      });
    }
  }
}
