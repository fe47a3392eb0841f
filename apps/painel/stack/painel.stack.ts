import {
  CfnElement,
  CfnOutput,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  Token,
  type StackProps,
} from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { join } from 'node:path';
import {
  acknowledge,
  apiReferencePage,
  Inbox,
  ServiceFunction,
  ServiceTable,
  ssmName,
} from '@order-platform/cdk-constructs';
import { openApiDocument, type PaymentProvider } from '@order-platform/contracts';

export interface PainelStackProps extends StackProps {
  stage: string;
  /** Stock at or below this raises a low-stock alert on the dashboard. */
  lowStockThreshold?: number;
  /** The stage's payment provider and callback rule, as the OpenAPI document describes `POST /orders` and `/partners`. */
  paymentProvider?: PaymentProvider;
  allowLoopbackCallbacks?: boolean;
  /** The platform's version, in the OpenAPI document. */
  version?: string;
}

/**
 * painel: the admins' live dashboard. An inbox on every service topic feeds its own table (feed, order
 * statuses, stock alerts) and pushes each event to the connected admins over a WebSocket API whose
 * `$connect` admits only Cognito `admins`; the page itself is static, in S3 behind CloudFront.
 */
export class PainelStack extends Stack {
  constructor(scope: Construct, id: string, props: PainelStackProps) {
    super(scope, id, props);
    const service = 'painel';
    const param = (resource: string) =>
      ssm.StringParameter.valueForStringParameter(this, ssmName(props.stage, 'platform', resource));
    const { table } = new ServiceTable(this, 'Dashboard', {
      indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
    });
    const { table: connectionsTable } = new ServiceTable(this, 'Connections', {
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const fn = (id: string, handler: string, environment: Record<string, string>, timeout = 10) =>
      new ServiceFunction(this, id, { service, handler, environment, timeout: Duration.seconds(timeout) });
    const authorize = fn('WsAuthorize', 'ws-authorize', {
      TOKEN_ISSUER: param('user-pool-provider-url'),
      CLIENT_ID: param('user-pool-client-id'),
    });
    const connect = fn('WsConnect', 'ws-connect', { CONNECTIONS_TABLE: connectionsTable.tableName });
    const disconnect = fn('WsDisconnect', 'ws-disconnect', { CONNECTIONS_TABLE: connectionsTable.tableName });
    const message = fn('WsMessage', 'ws-message', {
      TABLE_NAME: table.tableName,
      CONNECTIONS_TABLE: connectionsTable.tableName,
    });
    const recordEvent = fn(
      'RecordEvent',
      'record-event',
      {
        TABLE_NAME: table.tableName,
        CONNECTIONS_TABLE: connectionsTable.tableName,
        LOW_STOCK_THRESHOLD: String(props.lowStockThreshold ?? 10),
      },
      20,
    );

    // The operations view's function: only it may read and redrive the stage's DLQs (issue 16), and ask
    // each service's own replay function to republish an order's outbox.
    const stackPrefix = `OrderPlatform-${props.stage}-`;
    const replayFunctions = Object.fromEntries(
      (['produtos', 'pedidos', 'faturas'] as const).map((svc) => [
        `REPLAY_FUNCTION_${svc.toUpperCase()}`,
        ssm.StringParameter.valueForStringParameter(this, ssmName(props.stage, svc, 'replay-function-arn')),
      ]),
    );
    const operations = fn(
      'WsOperations',
      'ws-operations',
      {
        TABLE_NAME: table.tableName,
        CONNECTIONS_TABLE: connectionsTable.tableName,
        QUEUE_PREFIX: stackPrefix,
        // pedidos names its partner plans `<stack>-partners` and `<stack>-partners-trial`.
        PARTNER_PLAN_PREFIX: `${stackPrefix}Pedidos-partners`,
        ...replayFunctions,
      },
      30,
    );

    const api = new apigwv2.WebSocketApi(this, 'LiveApi', {
      apiName: `order-platform-${props.stage}-painel-live`,
      description: 'painel: live order events for admins',
      connectRouteOptions: {
        integration: new WebSocketLambdaIntegration('ConnectIntegration', connect.function),
        authorizer: new WebSocketLambdaAuthorizer('AdminAuthorizer', authorize.function, {
          identitySource: ['route.request.querystring.token'],
        }),
      },
      disconnectRouteOptions: {
        integration: new WebSocketLambdaIntegration('DisconnectIntegration', disconnect.function),
      },
      defaultRouteOptions: {
        integration: new WebSocketLambdaIntegration('DefaultIntegration', message.function),
      },
    });
    for (const action of ['subscribe', 'snapshot', 'timeline', 'trace'])
      api.addRoute(action, {
        integration: new WebSocketLambdaIntegration(`${action}Integration`, message.function),
      });
    for (const action of ['ops.queues', 'ops.redrive', 'ops.stuck', 'ops.partners', 'ops.replay'])
      api.addRoute(action, {
        integration: new WebSocketLambdaIntegration(`${action}Integration`, operations.function),
      });
    const accessLogs = new logs.LogGroup(this, 'LiveApiAccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = new apigwv2.WebSocketStage(this, 'LiveStage', {
      webSocketApi: api,
      stageName: 'live',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
    });
    const cfnStage = stage.node.defaultChild as apigwv2.CfnStage;
    cfnStage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        eventType: '$context.eventType',
        connectionId: '$context.connectionId',
        status: '$context.status',
        error: '$context.error.message',
      }),
    };
    for (const f of [message, recordEvent, operations])
      f.function.addEnvironment('CONNECTIONS_URL', stage.callbackUrl);

    // Least privilege: each function, the actions it uses, on the resources it uses.
    const allow = (f: ServiceFunction, actions: string[], resources: string[]) =>
      f.grant(new iam.PolicyStatement({ actions, resources }));
    const manage = `arn:${this.partition}:execute-api:${this.region}:${this.account}:${api.apiId}/${stage.stageName}/POST/@connections/*`;
    allow(connect, ['dynamodb:PutItem'], [connectionsTable.tableArn]);
    allow(disconnect, ['dynamodb:DeleteItem'], [connectionsTable.tableArn]);
    allow(message, ['dynamodb:Query'], [table.tableArn, `${table.tableArn}/index/gsi1`]);
    allow(message, ['dynamodb:UpdateItem'], [connectionsTable.tableArn]);
    allow(message, ['execute-api:ManageConnections'], [manage]);
    // An order's trace for the dashboard (X-Ray's read actions name no resource).
    allow(message, ['xray:GetTraceSummaries', 'xray:BatchGetTraces'], ['*']);
    acknowledge(
      message,
      'AwsSolutions-IAM5[Resource::*]',
      "X-Ray's GetTraceSummaries and BatchGetTraces support no resource-level permissions; read only.",
    );
    allow(recordEvent, ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], [table.tableArn]);
    // Operations: painel's board (read) and feed (the audit entry), who holds the connection, the stage's queues.
    allow(operations, ['dynamodb:Query'], [`${table.tableArn}/index/gsi1`]);
    allow(operations, ['dynamodb:PutItem'], [table.tableArn]);
    allow(operations, ['dynamodb:GetItem'], [connectionsTable.tableArn]);
    allow(operations, ['sqs:ListQueues'], ['*']);
    allow(operations, ['lambda:InvokeFunction'], Object.values(replayFunctions));
    // Partners' quota use: the usage plans (listed, then each plan's usage) and the keys' names.
    const apigw = `arn:${this.partition}:apigateway:${this.region}::`;
    allow(
      operations,
      ['apigateway:GET'],
      [`${apigw}/usageplans`, `${apigw}/usageplans/*/usage`, `${apigw}/apikeys/*`],
    );
    const stageQueues = `arn:${this.partition}:sqs:${this.region}:${this.account}:${stackPrefix}*`;
    allow(
      operations,
      [
        'sqs:GetQueueAttributes',
        'sqs:ReceiveMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:SendMessage',
      ],
      [stageQueues],
    );
    acknowledge(
      operations,
      'AwsSolutions-IAM5[Resource::*]',
      'sqs:ListQueues supports no resource-level permissions; it lists names only (the prefix narrows it).',
    );
    allow(recordEvent, ['dynamodb:Scan', 'dynamodb:DeleteItem'], [connectionsTable.tableArn]);
    // The fan-out also closes the connections whose token expired (DELETE @connections/<id>).
    const close = manage.replace('/POST/@connections/', '/DELETE/@connections/');
    allow(recordEvent, ['execute-api:ManageConnections'], [manage, close]);
    allow(operations, ['execute-api:ManageConnections'], [manage]);
    // cdk-nag names a wildcard finding by the policy text, with tokens written as `<...>`.
    const token = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<${pseudo}>` : value);
    const region = token(this.region, 'AWS::Region');
    const account = token(this.account, 'AWS::AccountId');
    const apiToken = `<${this.getLogicalId(api.node.defaultChild as CfnElement)}>`;
    for (const path of ['/usageplans/*/usage', '/apikeys/*'])
      acknowledge(
        operations,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:${region}::${path}]`,
        "Partners' usage plans and keys are created at run time (one key per partner); read only (GET).",
      );
    acknowledge(
      operations,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sqs:${region}:${account}:${stackPrefix}*]`,
      "The stage's DLQs are found at run time (every stack's, by name); a redrive sends back to the queue whose redrive policy names the DLQ, in this stage only.",
    );
    for (const f of [message, recordEvent, operations])
      acknowledge(
        f,
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:${region}:${account}:${apiToken}/${stage.stageName}/POST/@connections/*]`,
        'Posting to a connection is scoped to this API and stage; connection ids are only known at run time.',
      );
    acknowledge(
      recordEvent,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:${region}:${account}:${apiToken}/${stage.stageName}/DELETE/@connections/*]`,
      'Closing an expired connection is scoped to this API and stage; connection ids are only known at run time.',
    );
    for (const route of api.node.children.filter(
      (c) => c.node.id.endsWith('-Route') && c.node.id !== '$connect-Route',
    ))
      acknowledge(
        route,
        'AwsSolutions-APIG4',
        'A WebSocket API authorizes on $connect only (the Cognito admins authorizer); later routes run on that connection.',
      );

    new Inbox(this, 'Inbox', {
      stage: props.stage,
      sources: [{ service: 'produtos' }, { service: 'pedidos' }, { service: 'faturas' }],
      consumer: recordEvent,
      visibilityTimeout: Duration.seconds(120),
      maxBatchingWindow: Duration.seconds(1),
    });

    // The page: static files in a private bucket, served by CloudFront through origin access control.
    const siteLogs = new s3.Bucket(this, 'SiteLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    acknowledge(siteLogs, 'AwsSolutions-S1', 'This bucket is the access-log destination itself.');
    const site = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: siteLogs,
      serverAccessLogsPrefix: 'bucket/',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const distribution = new cloudfront.Distribution(this, 'SiteDistribution', {
      comment: `order-platform ${props.stage} painel`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(site),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      enableLogging: true,
      logBucket: siteLogs,
      logFilePrefix: 'cdn/',
    });
    acknowledge(
      distribution,
      'AwsSolutions-CFR1',
      'Admins sign in from anywhere; access is controlled by Cognito, not by geography.',
    );
    acknowledge(
      distribution,
      'AwsSolutions-CFR2',
      'A static page without server logic; the WebSocket API and Cognito do the access control. Add WAF per account if required.',
    );
    acknowledge(
      distribution,
      'AwsSolutions-CFR4',
      'The default CloudFront certificate allows TLSv1 at the edge; a custom domain with TLSv1.2_2021 is set per account.',
    );
    // The REST API's contract, published with each deploy beside the page: `api/openapi.json` (each route
    // with its service's base URL, read from SSM) and its reference page `api/index.html`.
    // The parameter holds `https://<host>/<stage>/`; OpenAPI joins server and path, so without the last `/`.
    const apiUrl = (svc: 'produtos' | 'pedidos' | 'faturas') => {
      const parts = Fn.split(
        '/',
        ssm.StringParameter.valueForStringParameter(this, ssmName(props.stage, svc, 'api-url')),
        5,
      );
      return Fn.join(
        '/',
        [0, 1, 2, 3].map((i) => Fn.select(i, parts)),
      );
    };
    const openApi = openApiDocument({
      stage: props.stage,
      version: props.version ?? '0.0.0',
      servers: { produtos: apiUrl('produtos'), pedidos: apiUrl('pedidos'), faturas: apiUrl('faturas') },
      paymentProvider: props.paymentProvider,
      allowLoopbackCallbacks: props.allowLoopbackCallbacks,
    });
    const reference = Object.entries(apiReferencePage(`order-platform API (${props.stage})`)).map(
      ([file, content]) => s3deploy.Source.data(`api/${file}`, content),
    );
    new s3deploy.BucketDeployment(this, 'SiteContent', {
      destinationBucket: site,
      sources: [
        s3deploy.Source.jsonData('api/openapi.json', openApi),
        ...reference,
        s3deploy.Source.asset(join(__dirname, '..', 'web')),
        s3deploy.Source.jsonData('config.json', {
          region: this.region,
          cognitoIssuer: param('user-pool-provider-url'),
          clientId: param('user-pool-client-id'),
          webSocketUrl: stage.url,
          lowStockThreshold: props.lowStockThreshold ?? 10,
        }),
      ],
      distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
    });
    const copying =
      'The CDK BucketDeployment provider copies the assets into the site bucket (its own grants).';
    const siteToken = `<${this.getLogicalId(site.node.defaultChild as CfnElement)}.Arn>`;
    const runtime =
      'The CDK BucketDeployment provider is CDK-owned deployment plumbing with its own runtime.';
    const providerFindings: [string, string][] = [
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'The CDK BucketDeployment provider uses the AWS managed basic execution role.',
      ],
      ...['GetObject*', 'GetBucket*', 'List*', 'DeleteObject*', 'Abort*'].map((action): [string, string] => [
        `AwsSolutions-IAM5[Action::s3:${action}]`,
        copying,
      ]),
      [
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${account}-${region}/*]`,
        copying,
      ],
      [`AwsSolutions-IAM5[Resource::${siteToken}/*]`, copying],
      [
        'AwsSolutions-IAM5[Resource::*]',
        'The CDK BucketDeployment provider invalidates the distribution; CloudFront takes no narrower resource there.',
      ],
      ['AwsSolutions-L1', runtime],
      [
        'Serverless-LambdaDLQ',
        'Invoked synchronously by CloudFormation once per deployment: nothing to retry later.',
      ],
      ['Serverless-LambdaDefaultMemorySize', 'Set through memoryLimit on the BucketDeployment.'],
      ['Serverless-LambdaLatestVersion', runtime],
      ['Serverless-LambdaTracing', runtime],
    ];
    for (const provider of this.node.children.filter((c) =>
      c.node.id.startsWith('Custom::CDKBucketDeployment'),
    ))
      for (const [rule, reason] of providerFindings) acknowledge(provider, rule, reason);

    for (const [resource, value] of Object.entries({
      'websocket-url': stage.url,
      'dashboard-url': `https://${distribution.distributionDomainName}`,
      'openapi-url': `https://${distribution.distributionDomainName}/api/openapi.json`,
    }))
      new ssm.StringParameter(this, `Param-${resource}`, {
        parameterName: ssmName(props.stage, service, resource),
        stringValue: value,
      });
    new CfnOutput(this, 'DashboardUrl', { value: `https://${distribution.distributionDomainName}` });
    new CfnOutput(this, 'WebSocketUrl', { value: stage.url });
    new CfnOutput(this, 'ApiReferenceUrl', { value: `https://${distribution.distributionDomainName}/api/` });
  }
}
