import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { acknowledge, acknowledgeDeadLetterQueue, arnToken } from './nag';

/** Root of the repository: where `dist/apps/<service>/<handler>/index.js` bundles are written by `nx build`. */
export const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..');

export interface ServiceFunctionProps {
  /** Bounded context that owns the function (`produtos`, `pedidos`, `faturas`, `painel`). */
  service: string;
  /** Handler file name without `.handler.ts`, e.g. `place-order`; its bundle is built by `nx build <service>`. */
  handler: string;
  description?: string;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
  reservedConcurrency?: number;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Where the bundles live; defaults to the workspace's `dist/apps`. */
  distDir?: string;
  removalPolicy?: RemovalPolicy;
  /** A VPC to run in (to reach a database in private subnets), with its subnets and security group. */
  network?: { vpc: ec2.IVpc; subnets: ec2.SubnetSelection; securityGroup: ec2.ISecurityGroup };
}

/**
 * A Node.js 22 Lambda on arm64 from its esbuild bundle, with X-Ray active tracing, a log group with
 * retention, Powertools settings, and a role of its own that starts with nothing but its own logs.
 */
export class ServiceFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** Dead-letter queue for asynchronous invocations (Lambda retries twice, then parks the event here). */
  readonly asyncDlq: sqs.Queue;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const bundleDir = join(
      props.distDir ?? join(WORKSPACE_ROOT, 'dist', 'apps'),
      props.service,
      props.handler,
    );
    if (!existsSync(join(bundleDir, 'index.js'))) {
      throw new Error(
        `No bundle for ${props.service}/${props.handler} in ${bundleDir}: run "npx nx build ${props.service}" first`,
      );
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.service}/${props.handler}`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:*`],
      }),
    );
    this.asyncDlq = new sqs.Queue(this, 'AsyncDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.function = new lambda.Function(this, 'Function', {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(bundleDir),
      description: props.description ?? `${props.service}: ${props.handler}`,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 512,
      reservedConcurrentExecutions: props.reservedConcurrency,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      role: this.role,
      deadLetterQueue: this.asyncDlq,
      ...(props.network
        ? {
            vpc: props.network.vpc,
            vpcSubnets: props.network.subnets,
            securityGroups: [props.network.securityGroup],
          }
        : {}),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.service,
        POWERTOOLS_METRICS_NAMESPACE: 'OrderPlatform',
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        ...props.environment,
      },
    });
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions.',
    );
    acknowledge(
      this.role,
      `AwsSolutions-IAM5[Resource::${arnToken(this.logGroup)}:*]`,
      "Log streams are created at run time, inside the function's own log group only.",
    );
    if (props.network)
      acknowledge(
        this.role,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        'Lambda adds this AWS managed policy to run in a VPC: network interfaces only (create, describe, delete).',
      );
    acknowledgeDeadLetterQueue(this.asyncDlq, 'dead-letter queue of asynchronous invocations');
    for (const rule of ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion']) {
      acknowledge(
        this.function,
        rule,
        'Node.js 22 is the runtime the platform is built, bundled (target node22) and tested for; a runtime upgrade is a deliberate change.',
      );
    }
  }

  grant(statement: iam.PolicyStatement): void {
    this.role.addToPolicy(statement);
  }
}
