import { App } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp, stackName } from './app';
import { NAG_TABLE_FILE, nagTable } from './nag-table';
import { stageConfig } from './stages';
import { REST_OPERATIONS } from '@order-platform/contracts';

// One synth of the dev stage for all assertions (bundles come from `nx build`, a dependency of this target).
const app = buildApp('dev', new App());
const template = (part: string) => Template.fromStack(app.node.findChild(stackName('dev', part)) as never);
const platform = template('Platform');
const pedidos = template('Pedidos');
const produtos = template('Produtos');
const faturas = template('Faturas');
const painel = template('Painel');

describe('platform stack', () => {
  it('has a user pool with the customers and admins groups and a public client without secret', () => {
    platform.resourceCountIs('AWS::Cognito::UserPool', 1);
    platform.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'customers' });
    platform.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins' });
    platform.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH']),
    });
  });

  it('announces the pool through SSM parameters, not exports', () => {
    for (const name of ['user-pool-id', 'user-pool-arn', 'user-pool-client-id', 'user-pool-provider-url']) {
      platform.hasResourceProperties('AWS::SSM::Parameter', { Name: `/order-platform/dev/platform/${name}` });
    }
    expect(Object.keys(platform.toJSON().Outputs ?? {}).filter((k) => !k.startsWith('CDK'))).toEqual([]);
  });
});

describe('event topics', () => {
  it('are one per publishing service, encrypted, TLS-only, and announced in SSM', () => {
    // The three event topics and the alarm topic.
    platform.resourceCountIs('AWS::SNS::Topic', 4);
    platform.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.anyValue(),
      TracingConfig: 'Active',
    });
    for (const service of ['pedidos', 'produtos', 'faturas']) {
      platform.hasResourceProperties('AWS::SSM::Parameter', {
        Name: `/order-platform/dev/${service}/topic-arn`,
      });
    }
    platform.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('reach the services only through SSM, so no service stack declares one', () => {
    for (const t of [pedidos, produtos, faturas, painel]) t.resourceCountIs('AWS::SNS::Topic', 0);
    expect(JSON.stringify(produtos.toJSON().Parameters)).toContain('/order-platform/dev/pedidos/topic-arn');
    expect(JSON.stringify(pedidos.toJSON().Parameters)).toContain('/order-platform/dev/produtos/topic-arn');
  });
});

describe('service stacks', () => {
  it('run Node.js 22 on arm64 with active tracing', () => {
    const fns = pedidos.findResources('AWS::Lambda::Function');
    expect(Object.keys(fns).length).toBeGreaterThanOrEqual(3);
    for (const fn of Object.values(fns)) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('give the place-order function its table name and only item writes and reads on its table', () => {
    pedidos.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'pedidos: place-order',
      Environment: {
        Variables: Match.objectLike({ TABLE_NAME: Match.anyValue(), POWERTOOLS_SERVICE_NAME: 'pedidos' }),
      },
    });
    pedidos.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('PlaceOrder'),
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: ['dynamodb:PutItem', 'dynamodb:GetItem'] })]),
      },
    });
  });

  it('publish events from the table stream, filtered to outbox inserts, with a DLQ for failures', () => {
    pedidos.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: Match.anyValue(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: Match.stringLikeRegexp('outbox') }] },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    pedidos.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('give a table a stream exactly when a function reads it (the outboxes), none to the dashboard tables', () => {
    const streamed: string[] = [];
    for (const [service, t] of Object.entries({ pedidos, produtos, faturas, painel })) {
      const read = new Set(
        Object.values(t.findResources('AWS::Lambda::EventSourceMapping'))
          .map((m) => (m['Properties']['EventSourceArn'] as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'])
          .filter((ref) => ref?.[1] === 'StreamArn')
          .map((ref) => ref![0]),
      );
      for (const [id, table] of Object.entries(t.findResources('AWS::DynamoDB::Table'))) {
        const name = `${service}/${id.replace(/Table[0-9A-F]{8}$/, '')}`;
        expect([name, table['Properties']['StreamSpecification'] !== undefined]).toEqual([
          name,
          read.has(id),
        ]);
        if (read.has(id)) streamed.push(name);
      }
    }
    expect(streamed.sort()).toEqual(['faturas/Invoices', 'pedidos/Orders', 'produtos/Catalog']);
  });

  it("gather records over a window only where nobody waits: the dashboard's, the mails' and the invoices' consumers", () => {
    const windowed: string[] = [];
    const immediate: string[] = [];
    for (const [service, t] of Object.entries({ pedidos, produtos, faturas, painel })) {
      for (const m of Object.values(t.findResources('AWS::Lambda::EventSourceMapping'))) {
        const ref = (m['Properties']['FunctionName'] as { Ref: string }).Ref;
        const name = `${service}/${ref.replace(/Function[0-9A-F]{8}$/, '').replace(/[0-9A-F]{8}$/, '')}`;
        (m['Properties']['MaximumBatchingWindowInSeconds'] > 0 ? windowed : immediate).push(name);
      }
    }
    expect(windowed.sort()).toEqual(['faturas/IssueInvoice', 'painel/RecordEvent', 'pedidos/NotifyCustomer']);
    // The order's own path answers at once.
    expect(immediate).toEqual(
      expect.arrayContaining(['pedidos/HandleEvents', 'produtos/HandleOrderEvents', 'pedidos/PublishEvents']),
    );
  });

  it('protect order routes with the Cognito authorizer and leave the catalog public', () => {
    pedidos.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'COGNITO_USER_POOLS',
    });
    produtos.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'NONE',
    });
  });

  it('keep invoice documents in a private, TLS-only bucket', () => {
    faturas.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('mail the invoice as its address in the authenticated API', () => {
    const [issue] = Object.values(
      faturas.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { SENDER_EMAIL: Match.anyValue() } } },
      }),
    ) as { Properties: { Environment: { Variables: Record<string, unknown> } } }[];
    const url = JSON.stringify(issue!.Properties.Environment.Variables['INVOICE_API_URL']);
    const [apiId] = Object.keys(faturas.findResources('AWS::ApiGateway::RestApi'));
    expect(url).toContain(`"Ref":"${apiId}"`);
    expect(url).toContain('execute-api');
  });
});

describe('painel inbox', () => {
  it('subscribes one queue to every service topic with raw delivery and a DLQ', () => {
    const subs = Object.values(painel.findResources('AWS::SNS::Subscription'));
    expect(subs).toHaveLength(3);
    for (const sub of subs) {
      expect(sub.Properties).toMatchObject({
        Protocol: 'sqs',
        RawMessageDelivery: true,
        RedrivePolicy: expect.any(Object),
      });
    }
  });

  it('moves a message to the DLQ after 5 receives and alarms as soon as the DLQ holds one', () => {
    painel.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { maxReceiveCount: 5 } });
    painel.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    painel.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });
});

describe('painel live dashboard', () => {
  const resources = (type: string) => Object.entries(painel.findResources(type));
  const logicalIdOf = (type: string, prefix: string) =>
    resources(type).find(([id]) => id.startsWith(prefix))![0];

  it('authorizes $connect with a REQUEST authorizer on the token query parameter, and nothing else', () => {
    painel.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
    painel.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.token'],
    });
    const routes = resources('AWS::ApiGatewayV2::Route').map(([, r]) => [
      r.Properties.RouteKey,
      r.Properties.AuthorizationType,
    ]);
    expect(routes.sort()).toEqual(
      [
        ['$connect', 'CUSTOM'],
        ['$default', 'NONE'],
        ['$disconnect', 'NONE'],
        ['ops.partners', 'NONE'],
        ['ops.queues', 'NONE'],
        ['ops.redrive', 'NONE'],
        ['ops.replay', 'NONE'],
        ['ops.stuck', 'NONE'],
        ['snapshot', 'NONE'],
        ['subscribe', 'NONE'],
        ['timeline', 'NONE'],
        ['trace', 'NONE'],
      ].sort(),
    );
    painel.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'live',
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('verifies tokens against the platform pool read from SSM', () => {
    const authorize = logicalIdOf('AWS::Lambda::Function', 'WsAuthorize');
    const env = painel.toJSON().Resources[authorize].Properties.Environment.Variables;
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['TOKEN_ISSUER', 'CLIENT_ID']));
    expect(JSON.stringify(painel.toJSON().Parameters)).toContain(
      '/order-platform/dev/platform/user-pool-provider-url',
    );
  });

  it('keeps connections in their own table with a TTL, and lets only the fan-out and message functions post', () => {
    painel.resourceCountIs('AWS::DynamoDB::Table', 2);
    painel.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    const posting = resources('AWS::IAM::Policy')
      .filter(([, r]) =>
        JSON.stringify(r.Properties.PolicyDocument).includes('execute-api:ManageConnections'),
      )
      .map(([id]) => id.replace(/Role.*$/, ''));
    expect(posting.sort()).toEqual(['RecordEvent', 'WsMessage', 'WsOperations']);
    const message = logicalIdOf('AWS::Lambda::Function', 'WsMessage');
    expect(painel.toJSON().Resources[message].Properties.Environment.Variables.CONNECTIONS_URL).toBeDefined();
  });

  it("lets the operations function alone read and redrive queues, and only the stage's", () => {
    // Act
    const statements = resources('AWS::IAM::Policy').flatMap(([id, r]) =>
      (r.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]).map(
        (s) => ({
          id: id.replace(/Role.*$/, ''),
          actions: [s.Action].flat(),
          resource: JSON.stringify(s.Resource),
        }),
      ),
    );
    // Other functions send to their own async DLQ (one queue each); wildcards and ListQueues are the view's.
    const wide = statements.filter(
      (s) =>
        s.actions.some((a) => a.startsWith('sqs:')) &&
        (s.resource.includes('*') || s.actions.includes('sqs:ListQueues')),
    );
    // Assess
    expect([...new Set(wide.map((s) => s.id))]).toEqual(['WsOperations']);
    const redrive = wide.find((s) => s.actions.includes('sqs:SendMessage'))!;
    expect(redrive.resource).toContain(':OrderPlatform-dev-*');
    expect(redrive.actions).not.toContain('sqs:PurgeQueue');
    expect(wide.find((s) => s.actions.includes('sqs:ListQueues'))!.resource).toBe('"*"');
    const operations = logicalIdOf('AWS::Lambda::Function', 'WsOperations');
    expect(painel.toJSON().Resources[operations].Properties.Environment.Variables.QUEUE_PREFIX).toBe(
      'OrderPlatform-dev-',
    );
  });

  it('serves the page from a private, TLS-only bucket through CloudFront with origin access control', () => {
    painel.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    painel.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
      }),
    });
    painel.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    painel.resourceCountIs('Custom::CDKBucketDeployment', 1);
    painel.hasResourceProperties('AWS::SSM::Parameter', { Name: '/order-platform/dev/painel/dashboard-url' });
  });
});

describe('partner administration', () => {
  type Resource = { Type: string; Properties: Record<string, never> };
  it('finds the partners plan by name (no cycle through the stage) and may only create, disable or delete keys', () => {
    const resources = Object.entries(pedidos.toJSON().Resources as Record<string, Resource>);
    const plans = resources
      .filter(([, r]) => r.Type === 'AWS::ApiGateway::UsagePlan')
      .map(([, r]) => r.Properties['UsagePlanName'] as string);
    const register = resources.find(
      ([id, r]) => id.startsWith('RegisterPartnerFunction') && r.Type === 'AWS::Lambda::Function',
    )![1];
    const env = (register.Properties['Environment'] as { Variables: Record<string, string> }).Variables;
    const named = JSON.parse(env['PARTNER_USAGE_PLANS']!) as Record<string, string>;
    expect(Object.values(named).sort()).toEqual(plans.sort());
    expect(Object.keys(named).sort()).toEqual(['standard', 'trial']);
    const actions = resources
      .filter(([id, r]) => /^(Register|Disable)PartnerRole/.test(id) && r.Type === 'AWS::IAM::Policy')
      .flatMap(([, r]) =>
        (r.Properties['PolicyDocument'] as { Statement: { Action: string | string[] }[] }).Statement.flatMap(
          (st) => st.Action,
        ),
      )
      .filter((a) => a.startsWith('apigateway:'));
    expect([...new Set(actions)].sort()).toEqual([
      'apigateway:DELETE',
      'apigateway:GET',
      'apigateway:PATCH',
      'apigateway:POST',
    ]);
  });

  it("hears partner orders' final statuses from its own topic (events without a channel too), with a DLQ", () => {
    const subscriptions = Object.values(pedidos.findResources('AWS::SNS::Subscription')).map(
      (r) => r['Properties'] as { FilterPolicy?: { type?: string[] }; RedrivePolicy?: unknown },
    );
    expect(subscriptions).toContainEqual(
      expect.objectContaining({
        FilterPolicy: {
          type: ['OrderCompleted', 'OrderRejected', 'OrderCancelled'],
          channel: ['partner', { exists: false }],
        },
        RedrivePolicy: expect.any(Object),
      }),
    );
    pedidos.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { maxReceiveCount: 8 } });
  });
});

describe('alarms and dashboards', () => {
  it('wire every alarm of every stack to the stage alarm topic', () => {
    // Assess
    let count = 0;
    for (const t of [pedidos, produtos, faturas, painel]) {
      for (const [id, alarm] of Object.entries(t.findResources('AWS::CloudWatch::Alarm'))) {
        count++;
        const props = (alarm as { Properties: Record<string, unknown[]> }).Properties;
        expect({ id, actions: props['AlarmActions']?.length ?? 0 }).toEqual({ id, actions: 1 });
        expect(props['OKActions']).toHaveLength(1);
      }
      expect(JSON.stringify(t.toJSON().Parameters)).toContain('/order-platform/dev/platform/alarm-topic-arn');
    }
    expect(count).toBeGreaterThanOrEqual(8);
    platform.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/order-platform/dev/platform/alarm-topic-arn',
    });
  });

  it('give each service a dashboard with its DLQs, errors, throttles and durations', () => {
    for (const t of [pedidos, produtos, faturas, painel]) {
      t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      const body = JSON.stringify(t.findResources('AWS::CloudWatch::Dashboard'));
      for (const metric of ['ApproximateAgeOfOldestMessage', 'Errors', 'Throttles', 'Duration'])
        expect(body).toContain(metric);
    }
  });

  it('subscribe the configured e-mail to the alarm topic, and refuse one that is not an address', () => {
    // Prepare
    const withEmail = new App({ context: { alarmEmail: 'ops@example.com' } });
    // Act
    buildApp('dev', withEmail);
    // Assess
    Template.fromStack(withEmail.node.findChild(stackName('dev', 'Platform')) as never).hasResourceProperties(
      'AWS::SNS::Subscription',
      { Protocol: 'email', Endpoint: 'ops@example.com' },
    );
    expect(() => stageConfig('dev', (k) => (k === 'alarmEmail' ? 'not-an-address' : undefined))).toThrow(
      /not an e-mail address/,
    );
    expect(
      stageConfig('prod', (k) => ({ 'alarmEmail.prod': 'p@example.com', alarmEmail: 'd@example.com' })[k]),
    ).toMatchObject({
      alarmEmail: 'p@example.com',
    });
  });
});

describe('the prod stage', () => {
  it('declares no demo key in any stage (demo data is put in by the local launcher through the APIs) and lets no callback reach loopback', () => {
    // Prepare
    const prodApp = buildApp('prod', new App());
    const prodPedidos = Template.fromStack(prodApp.node.findChild(stackName('prod', 'Pedidos')) as never);
    // Assess
    const keyNames = (t: Template) =>
      Object.values(t.findResources('AWS::ApiGateway::ApiKey')).map(
        (k) => (k as { Properties: { Name?: string } }).Properties.Name,
      );
    expect(keyNames(prodPedidos)).toEqual([]);
    expect(keyNames(pedidos)).toEqual([]);
    for (const fn of Object.values(prodPedidos.findResources('AWS::Lambda::Function'))) {
      const vars = (fn as { Properties: { Environment?: { Variables?: Record<string, string> } } }).Properties
        .Environment?.Variables;
      if (vars && 'CALLBACKS_ALLOW_LOOPBACK' in vars) expect(vars['CALLBACKS_ALLOW_LOOPBACK']).toBe('false');
    }
    expect(stageConfig('local')).toMatchObject({ loopbackCallbacks: true });
    expect(stageConfig('prod')).toMatchObject({ loopbackCallbacks: false });
  });

  it('charges through Stripe with its key in Secrets Manager, read by the saga alone, and refuses the simulator', () => {
    // Prepare
    const prodApp = buildApp('prod', new App());
    const prodPedidos = Template.fromStack(prodApp.node.findChild(stackName('prod', 'Pedidos')) as never);
    // Assess
    prodPedidos.resourceCountIs('AWS::SecretsManager::Secret', 1);
    prodPedidos.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ PAYMENT_PROVIDER: 'stripe', PAYMENT_SECRET_ARN: Match.anyValue() }),
      },
    });
    const readers = Object.values(prodPedidos.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes('secretsmanager:GetSecretValue'),
    );
    expect(readers).toHaveLength(1);
    pedidos.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(() => buildApp('prod', new App({ context: { paymentProvider: 'simulator' } }))).toThrow(
      /The prod stage cannot charge through the payment simulator/,
    );
  });
});

describe('CORS', () => {
  it('answers browsers only from the origins the stage configures, and none by default', () => {
    // Prepare
    const shop = buildApp('prod', new App({ context: { 'corsOrigins.prod': 'https://shop.example.com' } }));
    const shopProdutos = Template.fromStack(shop.node.findChild(stackName('prod', 'Produtos')) as never);
    const options = (t: Template) =>
      Object.values(t.findResources('AWS::ApiGateway::Method')).filter(
        (m) => (m as { Properties: { HttpMethod: string } }).Properties.HttpMethod === 'OPTIONS',
      );
    // Assess
    expect(options(produtos)).toHaveLength(0);
    expect(JSON.stringify(produtos.toJSON())).not.toContain('CORS_ALLOWED_ORIGINS');
    expect(options(shopProdutos).length).toBeGreaterThan(0);
    expect(JSON.stringify(options(shopProdutos))).toContain("'https://shop.example.com'");
    shopProdutos.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CORS_ALLOWED_ORIGINS: 'https://shop.example.com' }) },
    });
    expect(stageConfig('local').api.corsOrigins).toEqual(['http://127.0.0.1:3002', 'http://localhost:3002']);
  });
});

describe('per-caller fairness', () => {
  it('puts a web ACL with per-caller and per-address rate limits (429) in front of every REST API', () => {
    for (const t of [produtos, pedidos, faturas]) {
      t.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
      t.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        Rules: [
          Match.objectLike({
            Name: 'per-caller',
            Action: { Block: { CustomResponse: Match.objectLike({ ResponseCode: 429 }) } },
            Statement: {
              RateBasedStatement: {
                Limit: 600,
                EvaluationWindowSec: 60,
                AggregateKeyType: 'CUSTOM_KEYS',
                CustomKeys: [{ Header: { Name: 'authorization', TextTransformations: Match.anyValue() } }],
              },
            },
          }),
          Match.objectLike({
            Name: 'per-address',
            Statement: { RateBasedStatement: Match.objectLike({ Limit: 3000, AggregateKeyType: 'IP' }) },
          }),
        ],
      });
      const [stage] = Object.keys(t.findResources('AWS::ApiGateway::Stage'));
      expect(JSON.stringify(t.findResources('AWS::WAFv2::WebACLAssociation'))).toContain(stage);
    }
  });

  it('takes the limits from the stage configuration and refuses ones WAF would not', () => {
    const strict = buildApp('prod', new App({ context: { 'rateLimitPerCaller.prod': '120' } }));
    const strictPedidos = Template.fromStack(strict.node.findChild(stackName('prod', 'Pedidos')) as never);
    expect(JSON.stringify(strictPedidos.findResources('AWS::WAFv2::WebACL'))).toContain('"Limit":120');
    expect(() => stageConfig('dev', (k) => (k === 'rateLimitPerAddress' ? '5' : undefined))).toThrow(
      /rateLimitPerAddress "5" is not a whole number of requests from 10/,
    );
  });
});

describe('cdk-nag acknowledgements', () => {
  it('are listed in docs/cdk-nag-acknowledgements.md exactly as the code makes them (npx tsx infra/src/nag-table.ts)', () => {
    expect(readFileSync(NAG_TABLE_FILE, 'utf8')).toBe(nagTable());
  });
});

describe('the integration bus (ADR 0015)', () => {
  it('has one bus per stage with an archive of every domain event, kept as the stage says', () => {
    platform.hasResourceProperties('AWS::Events::EventBus', { Name: 'order-platform-dev' });
    platform.hasResourceProperties('AWS::Events::Archive', {
      ArchiveName: 'order-platform-dev',
      RetentionDays: 30,
      EventPattern: { source: [{ prefix: 'order-platform.' }] },
    });
    const prod = Template.fromStack(
      buildApp('prod', new App({ context: { eventArchiveDays: '90' } })).node.findChild(
        stackName('prod', 'Platform'),
      ) as never,
    );
    prod.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 90 });
    // Without an outcome webhook configured, prod posts outcomes nowhere.
    prod.resourceCountIs('AWS::Events::ApiDestination', 0);
    expect(() => stageConfig('dev', (k) => (k === 'eventArchiveDays' ? '-1' : undefined))).toThrow(
      /eventArchiveDays/,
    );
  });

  it('writes every event to the audit log group, with a dead-letter queue', () => {
    platform.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: [{ prefix: 'order-platform.' }] },
      Targets: [
        Match.objectLike({
          Arn: Match.anyValue(),
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        }),
      ],
    });
    platform.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/events/order-platform-dev/audit',
    });
    const policy = Object.values(platform.findResources('AWS::Logs::ResourcePolicy'))[0]!;
    expect(JSON.stringify(policy['Properties'].PolicyDocument)).toContain('events.amazonaws.com');
  });

  it('posts order outcomes to the configured webhook through an API destination whose key is in Secrets Manager', () => {
    expect(() =>
      stageConfig('dev', (k) => (k === 'outcomeWebhookUrl' ? 'https://erp.example.com/hook' : undefined)),
    ).toThrow(/outcomeWebhookSecret/);
    expect(() =>
      stageConfig('dev', (k) => (k === 'outcomeWebhookUrl' ? 'http://erp.example.com/hook' : undefined)),
    ).toThrow(/https/);
    const configured = Template.fromStack(
      buildApp(
        'prod',
        new App({
          context: { outcomeWebhookUrl: 'https://erp.example.com/hook', outcomeWebhookSecret: 'erp/api-key' },
        }),
      ).node.findChild(stackName('prod', 'Platform')) as never,
    );
    configured.hasResourceProperties('AWS::Events::ApiDestination', {
      InvocationEndpoint: 'https://erp.example.com/hook',
      HttpMethod: 'POST',
    });
    configured.hasResourceProperties('AWS::Events::Connection', {
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: {
          ApiKeyName: 'x-api-key',
          ApiKeyValue: Match.stringLikeRegexp('resolve:secretsmanager:erp/api-key'),
        },
      },
    });
    configured.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: [{ prefix: 'order-platform.' }],
        'detail-type': ['OrderCompleted', 'OrderCancelled', 'OrderRejected'],
      },
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: Match.anyValue() } })],
    });
  });

  it("lets each service's outbox publisher put events on the bus, and nothing else of it", () => {
    for (const stack of [pedidos, produtos, faturas]) {
      stack.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            EVENT_BUS_ARN: Match.anyValue(),
            OUTBOX_TABLE_NAME: Match.anyValue(),
          }),
        },
      });
      stack.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Action: 'events:PutEvents', Effect: 'Allow' })]),
        },
      });
    }
  });
});

describe('the legacy channel (ADR 0016)', () => {
  const legacyApp = buildApp('dev', new App({ context: { legacySource: 'aurora' } }));
  const legacy = Template.fromStack(legacyApp.node.findChild(stackName('dev', 'Pedidos')) as never);

  it('is off unless the stage asks for it (its database, DMS and stream cost around the clock)', () => {
    for (const type of [
      'AWS::EC2::VPC',
      'AWS::RDS::DBCluster',
      'AWS::DMS::ReplicationTask',
      'AWS::Kinesis::Stream',
    ])
      pedidos.resourceCountIs(type, 0);
    expect(stageConfig('local').legacy).toEqual({ source: { kind: 'aurora' }, tls: 'off' });
    expect(stageConfig('prod').legacy).toBeUndefined();
  });

  it('runs in a VPC of private subnets with no route out, its rejected traffic logged, AWS reached through endpoints', () => {
    legacy.resourceCountIs('AWS::EC2::VPC', 1);
    legacy.resourceCountIs('AWS::EC2::NatGateway', 0);
    legacy.resourceCountIs('AWS::EC2::InternetGateway', 0);
    legacy.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT' });
    legacy.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['.dynamodb'])]) }),
    });
    legacy.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.us-east-1.secretsmanager',
      PrivateDnsEnabled: true,
    });
  });

  it('creates an encrypted Aurora MySQL cluster whose binlog DMS can read (ROW, full image, no checksum) and that takes TLS only', () => {
    legacy.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-mysql',
      StorageEncrypted: true,
      EnableIAMDatabaseAuthentication: true,
      DatabaseName: 'erp',
    });
    legacy.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
      Parameters: {
        binlog_format: 'ROW',
        binlog_row_image: 'full',
        binlog_checksum: 'NONE',
        require_secure_transport: 'ON',
      },
    });
    // Only DMS and the write-back may reach it, on MySQL's port.
    const ingress = Object.values(legacy.findResources('AWS::EC2::SecurityGroupIngress'));
    expect(ingress.map((r) => (r as { Properties: { FromPort: number } }).Properties.FromPort)).toEqual([
      3306, 3306,
    ]);
  });

  it('replicates erp.pedidos with DMS (full load + CDC) to an encrypted Kinesis stream as JSON, credentials from the secret', () => {
    legacy.hasResourceProperties('AWS::DMS::ReplicationTask', {
      MigrationType: 'full-load-and-cdc',
      TableMappings: Match.stringLikeRegexp('"schema-name":"erp","table-name":"pedidos"'),
    });
    legacy.hasResourceProperties('AWS::DMS::Endpoint', {
      EndpointType: 'source',
      EngineName: 'aurora',
      SslMode: 'require',
      MySqlSettings: {
        SecretsManagerSecretId: Match.anyValue(),
        SecretsManagerAccessRoleArn: Match.anyValue(),
      },
    });
    legacy.hasResourceProperties('AWS::DMS::Endpoint', {
      EndpointType: 'target',
      EngineName: 'kinesis',
      KinesisSettings: Match.objectLike({ MessageFormat: 'json' }),
    });
    legacy.hasResourceProperties('AWS::DMS::ReplicationInstance', { PubliclyAccessible: false });
    legacy.hasResourceProperties('AWS::Kinesis::Stream', { StreamEncryption: { EncryptionType: 'KMS' } });
  });

  it('consumes the stream in order with bisect, partial batch failures and an on-failure destination that alarms', () => {
    legacy.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    const alarms = JSON.stringify(legacy.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toContain("on-failure destination of the legacy channel's stream");
  });

  it('writes outcomes back from inside the VPC, over TLS, reading the secret it is granted', () => {
    legacy.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      Environment: {
        Variables: Match.objectLike({ LEGACY_DB_TLS: 'rds', LEGACY_DB_SECRET_ARN: Match.anyValue() }),
      },
    });
    // Legacy orders' outcomes only (and events written before the channel attribute existed).
    legacy.hasResourceProperties('AWS::SNS::Subscription', {
      FilterPolicy: {
        type: ['OrderCompleted', 'OrderRejected', 'OrderCancelled'],
        channel: ['legacy', { exists: false }],
      },
    });
  });

  it("takes the shop's existing database (its address and secret) instead of creating one, and refuses half a configuration", () => {
    // Prepare
    const existing = buildApp(
      'prod',
      new App({
        context: { legacySource: 'existing', legacySecret: 'erp/dms-user' },
      }),
    );
    const t = Template.fromStack(existing.node.findChild(stackName('prod', 'Pedidos')) as never);
    // Assess
    t.resourceCountIs('AWS::RDS::DBCluster', 0);
    t.hasResourceProperties('AWS::DMS::Endpoint', { EndpointType: 'source', EngineName: 'mysql' });
    t.hasResourceProperties('AWS::DMS::ReplicationInstance', { MultiAZ: true });
    expect(() => stageConfig('prod', (k) => (k === 'legacySource' ? 'existing' : undefined))).toThrow(
      /needs legacySecret/,
    );
    expect(() => stageConfig('dev', (k) => (k === 'legacySource' ? 'oracle' : undefined))).toThrow(
      /none of aurora, existing, off/,
    );
  });
});

describe('the OpenAPI document (issue 16)', () => {
  /** Every method a REST API of a template declares, as `VERB /path` (CORS preflights aside). */
  function routesOf(t: Template): string[] {
    type Resource = { Type: string; Properties: Record<string, unknown> };
    const resources = t.toJSON().Resources as Record<string, Resource>;
    const pathOf = (id: unknown): string => {
      const ref = (id as { Ref?: string }).Ref;
      if (!ref) return ''; // Fn::GetAtt RootResourceId: the API's root
      const r = resources[ref]!;
      return `${pathOf(r.Properties['ParentId'])}/${String(r.Properties['PathPart'])}`;
    };
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGateway::Method' && r.Properties['HttpMethod'] !== 'OPTIONS')
      .map((r) => `${String(r.Properties['HttpMethod'])} ${pathOf(r.Properties['ResourceId'])}`);
  }

  it('documents every route the stacks declare, and no route they do not', () => {
    // Act
    const declared = [produtos, pedidos, faturas].flatMap(routesOf).sort();
    const documented = REST_OPERATIONS.map((o) => `${o.method} ${o.path}`).sort();
    // Assess
    expect(declared.length).toBeGreaterThan(10);
    expect(documented).toEqual(declared);
  });

  it("is published with each deploy beside painel's page, with each service's API URL from SSM", () => {
    // Act
    const deployment = Object.values(painel.findResources('Custom::CDKBucketDeployment'))[0] as {
      Properties: { SourceMarkers: Record<string, unknown>[] };
      DependsOn?: string[];
    };
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    // Assess
    for (const service of ['produtos', 'pedidos', 'faturas'])
      expect(JSON.stringify(painel.toJSON().Parameters)).toContain(`/order-platform/dev/${service}/api-url`);
    expect(markers).toContain('SsmParameterValueorderplatformdevpedidosapiurl');
    painel.hasOutput('ApiReferenceUrl', {});
    const dependencies = app.node.findChild(stackName('dev', 'Painel')) as unknown as {
      dependencies: { stackName: string }[];
    };
    expect(dependencies.dependencies.map((s) => s.stackName)).toEqual(
      expect.arrayContaining([
        'OrderPlatform-dev-Pedidos',
        'OrderPlatform-dev-Produtos',
        'OrderPlatform-dev-Faturas',
      ]),
    );
  });
});
