import {
  CreateTableCommand,
  type AttributeDefinition,
  type TableDescription,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { reconcileKeptTable, type TableShape } from './kept-tables';
import { NotReadyError, references, resolve, type ResolveContext } from './intrinsics';
import { generateSecretString, type LocalSecretsManager } from './secrets-manager';

export interface Template {
  Parameters?: Record<string, { Type: string; Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; DependsOn?: string | string[]; Condition?: string }
  >;
}

export interface CreatedResource {
  stack: string;
  logicalId: string;
  type: string;
  ref: string;
  attrs: Record<string, string>;
  properties: Record<string, unknown>;
}

export interface Clients {
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  sns: SNSClient;
  s3: S3Client;
  cognito: CognitoIdentityProviderClient;
  kinesis: KinesisClient;
}

/** Types that have no local behaviour (permissions, logs, alarms, keys...): accepted and listed once. */
const INERT = new Set([
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::Logs::LogGroup',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::Dashboard',
  // Keys only encrypt in AWS; the emulators keep data in the clear.
  'AWS::KMS::Key',
  'AWS::XRay::ResourcePolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::TopicPolicy',
  'AWS::S3::BucketPolicy',
  'AWS::Lambda::Permission',
  'AWS::CDK::Metadata',
  'AWS::ApiGateway::Account',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGatewayV2::Deployment',
  // The bucket deployment's Python provider and its AWS CLI layer: the local cloud deploys the files itself.
  'AWS::Lambda::LayerVersion',
  // The local SES accepts any sender: identities need no verification there.
  'AWS::SES::EmailIdentity',
  // The audit log group's resource policy (EventBridge may write to it); the local bus writes regardless.
  'AWS::Logs::ResourcePolicy',
]);

/** Types recorded for the runtime (functions, mappings, API Gateway) rather than created in an emulator. */
const RECORDED = new Set([
  'AWS::Lambda::Function',
  'AWS::Lambda::EventSourceMapping',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::ApiKey',
  'AWS::ApiGateway::UsagePlan',
  'AWS::ApiGateway::UsagePlanKey',
  'AWS::ApiGateway::Model',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::RouteResponse',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::Stage',
  'AWS::SSM::Parameter',
  'AWS::WAFv2::WebACL',
  'AWS::WAFv2::WebACLAssociation',
  'AWS::CloudFront::OriginAccessControl',
  'AWS::CloudFront::Distribution',
  'Custom::CDKBucketDeployment',
  // The local EventBridge (eventbridge.ts) is built from these once everything is provisioned.
  'AWS::Events::EventBus',
  'AWS::Events::Rule',
  'AWS::Events::Archive',
  'AWS::Events::Connection',
  'AWS::Events::ApiDestination',
  // The legacy channel's DMS task: the local cloud runs a change capture in its place (change-capture.ts).
  'AWS::DMS::ReplicationTask',
  'AWS::DMS::Endpoint',
]);

/**
 * The network and the always-on machines around the legacy database: locally everything is on loopback,
 * MariaDB stands in for the cluster and the change capture for DMS, so these have nothing to do.
 */
const NETWORK_AND_MACHINES = new Set([
  'AWS::EC2::RouteTable',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress',
  'AWS::EC2::FlowLog',
  'AWS::EC2::InternetGateway',
  'AWS::EC2::VPCGatewayAttachment',
  'AWS::RDS::DBSubnetGroup',
  'AWS::RDS::DBClusterParameterGroup',
  'AWS::RDS::DBParameterGroup',
  'AWS::RDS::DBInstance',
  'AWS::DMS::ReplicationSubnetGroup',
  'AWS::DMS::ReplicationInstance',
]);

/** Where MariaDB (the local legacy database) listens, and its user with replication grants. */
export interface LegacyDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/**
 * Creates in the emulators what the synthesized templates declare, stack by stack, resource by resource in
 * dependency order, and keeps what every resource resolved to (for Ref/GetAtt, the runtime and outputs).
 */
type ResourceBase = Omit<CreatedResource, 'ref' | 'attrs'>;
type Props = Record<string, unknown>;

export class Provisioner {
  readonly resources = new Map<string, CreatedResource>();
  readonly ssm = new Map<string, string>();
  readonly notEmulated = new Map<string, string[]>();
  readonly inert = new Map<string, number>();
  /** What a kept table (`--persist`) changed to match its template: `<table>: <change>`. */
  readonly keptTableChanges: string[] = [];
  /** The local Secrets Manager, where the templates' secrets are created. */
  secrets?: LocalSecretsManager;
  /** MariaDB, standing in for the templates' RDS clusters; undefined when it is not installed. */
  legacyDatabase?: LegacyDatabase;

  constructor(
    private readonly clients: Clients,
    private readonly region: string,
    private readonly accountId: string,
    /** The Cognito emulator's origin: a pool's issuer (`ProviderURL`) is `<origin>/<poolId>` there. */
    private readonly cognitoOrigin = '',
    /** Gives each CloudFront distribution its local `host:port`. */
    private readonly distributionHost: () => Promise<string> = async () => '127.0.0.1',
  ) {
    // The CDK bootstrap version check reads this parameter; locally there is no bootstrap stack.
    this.ssm.set('/cdk-bootstrap/hnb659fds/version', '99');
  }

  byType(type: string): CreatedResource[] {
    return [...this.resources.values()].filter((r) => r.type === type);
  }

  get(stack: string, logicalId: string): CreatedResource | undefined {
    return this.resources.get(`${stack}/${logicalId}`);
  }

  private context(stack: string, template: Template): ResolveContext {
    const parameters: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(template.Parameters ?? {})) {
      if (p.Type.startsWith('AWS::SSM::Parameter::Value')) {
        const value = this.ssm.get(String(p.Default));
        if (value === undefined) throw new NotReadyError(`SSM:${p.Default}`);
        parameters[name] = value;
      } else parameters[name] = p.Default;
    }
    return {
      region: this.region,
      accountId: this.accountId,
      stackName: stack,
      parameters,
      conditions: template.Conditions ?? {},
      ref: (id) => {
        const r = this.get(stack, id);
        if (!r) throw new NotReadyError(id);
        return r.ref;
      },
      getAtt: (id, attr) => {
        const r = this.get(stack, id);
        if (!r) throw new NotReadyError(id);
        if (!(attr in r.attrs))
          throw new TemplateError(`${stack}/${id} (${r.type}) has no attribute ${attr} locally`);
        return r.attrs[attr];
      },
    };
  }

  /** Can this stack's SSM-typed parameters be resolved yet (their producers provisioned)? */
  ready(template: Template): boolean {
    return Object.values(template.Parameters ?? {}).every(
      (p) => !p.Type.startsWith('AWS::SSM::Parameter::Value') || this.ssm.has(String(p.Default)),
    );
  }

  async provisionStack(stack: string, template: Template): Promise<void> {
    const ctx = this.context(stack, template);
    const pending = new Map(Object.entries(template.Resources));
    for (const [id, r] of pending) {
      if (r.Condition && !resolve({ Condition: r.Condition }, ctx)) pending.delete(id);
    }
    while (pending.size) {
      const ready = [...pending].filter(([, r]) => {
        const deps = references(r.Properties ?? {});
        for (const d of [r.DependsOn ?? []].flat()) deps.add(d);
        return [...deps].every((d) => !pending.has(d) && (this.get(stack, d) || !template.Resources[d]));
      });
      if (!ready.length)
        throw new TemplateError(`Circular references in ${stack}: ${[...pending.keys()].join(', ')}`);
      // The resources whose references are all created are created side by side (each one's emulator
      // call waits on the network, not on the others), except Cognito's: the user pool emulator rewrites
      // one file per pool, so its resources go one after another.
      const create = async ([id, r]: [string, (typeof ready)[number][1]]) => {
        const properties = resolve(r.Properties ?? {}, ctx) as Record<string, unknown>;
        const created = await this.create(stack, id, r.Type, properties);
        this.resources.set(`${stack}/${id}`, created);
        pending.delete(id);
      };
      const oneByOne = ready.filter(([, r]) => r.Type.startsWith('AWS::Cognito::'));
      await Promise.all([
        ...ready.filter((entry) => !oneByOne.includes(entry)).map(create),
        (async () => {
          for (const entry of oneByOne) await create(entry);
        })(),
      ]);
    }
  }

  /** The ARN AWS would give a resource of this account and region. */
  private arn(service: string, resource: string): string {
    return `arn:aws:${service}:${this.region}:${this.accountId}:${resource}`;
  }

  private physicalName(stack: string, id: string, max = 80): string {
    return `${stack}-${id}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, max);
  }

  /** The provider of each resource family; a type none of them knows is recorded, inert or reported. */
  private async create(
    stack: string,
    id: string,
    type: string,
    p: Record<string, unknown>,
  ): Promise<CreatedResource> {
    const base = { stack, logicalId: id, type, properties: p };
    for (const provide of [
      this.createStorage,
      this.createMessaging,
      this.createIdentity,
      this.createRecorded,
      this.createEvents,
      this.createLegacy,
    ]) {
      const created = await provide.call(this, base, p);
      if (created) return created;
    }
    const arn = `arn:aws:local:${this.region}:${this.accountId}:${stack}/${id}`;
    // As in CloudFormation, an SES identity's Ref is the address or domain itself (policies name it).
    if (type === 'AWS::SES::EmailIdentity') {
      this.inert.set(type, (this.inert.get(type) ?? 0) + 1);
      return { ...base, ref: String(p['EmailIdentity']), attrs: { Arn: arn } };
    }
    if (!RECORDED.has(type)) {
      if (INERT.has(type)) this.inert.set(type, (this.inert.get(type) ?? 0) + 1);
      else this.notEmulated.set(type, [...(this.notEmulated.get(type) ?? []), `${stack}/${id}`]);
    }
    return { ...base, ref: this.physicalName(stack, id), attrs: { Arn: arn } };
  }

  /**
   * The legacy channel's surroundings: the VPC's parts get ids (nothing to do on loopback), an RDS cluster
   * is MariaDB (its endpoint and port), a secret lives in the local Secrets Manager and, attached to the
   * cluster, holds MariaDB's address and credentials as RDS's attachment would.
   */
  private async createLegacy(base: ResourceBase, p: Props): Promise<CreatedResource | undefined> {
    const { stack, logicalId: id, type } = base;
    const localId = (prefix: string) =>
      `${prefix}-${Buffer.from(`${stack}/${id}`).toString('hex').slice(-17)}`;
    const db = this.legacyDatabase;
    if (NETWORK_AND_MACHINES.has(type)) {
      this.inert.set(type, (this.inert.get(type) ?? 0) + 1);
      return {
        ...base,
        ref: this.physicalName(stack, id),
        attrs: { Arn: this.arn('local', `${stack}/${id}`) },
      };
    }
    switch (type) {
      case 'AWS::EC2::VPC': {
        const vpcId = localId('vpc');
        return {
          ...base,
          ref: vpcId,
          attrs: {
            VpcId: vpcId,
            CidrBlock: String(p['CidrBlock'] ?? '10.0.0.0/16'),
            DefaultSecurityGroup: localId('sg'),
          },
        };
      }
      case 'AWS::EC2::Subnet': {
        const subnetId = localId('subnet');
        return { ...base, ref: subnetId, attrs: { SubnetId: subnetId, AvailabilityZone: `${this.region}a` } };
      }
      case 'AWS::EC2::SecurityGroup': {
        const groupId = localId('sg');
        return { ...base, ref: groupId, attrs: { GroupId: groupId, VpcId: String(p['VpcId'] ?? '') } };
      }
      case 'AWS::RDS::DBCluster': {
        const name = String(p['DBClusterIdentifier'] ?? this.physicalName(stack, id, 63)).toLowerCase();
        if (!db)
          this.notEmulated.set(type, [
            ...(this.notEmulated.get(type) ?? []),
            `${stack}/${id} (MariaDB is not installed)`,
          ]);
        return {
          ...base,
          ref: name,
          attrs: {
            'Endpoint.Address': db?.host ?? '127.0.0.1',
            'Endpoint.Port': String(db?.port ?? 3306),
            'ReadEndpoint.Address': db?.host ?? '127.0.0.1',
            DBClusterArn: this.arn('rds', `cluster:${name}`),
            DBClusterResourceId: `cluster-${name}`,
          },
        };
      }
      case 'AWS::SecretsManager::Secret': {
        if (!this.secrets) return undefined;
        const value =
          typeof p['SecretString'] === 'string'
            ? p['SecretString']
            : generateSecretString((p['GenerateSecretString'] as Record<string, unknown>) ?? {});
        const secret = this.secrets.create(
          (p['Name'] as string) ?? this.physicalName(stack, id, 256),
          value,
          p['Description'] as string | undefined,
        );
        return { ...base, ref: secret.arn, attrs: { Id: secret.arn } };
      }
      case 'AWS::SecretsManager::SecretTargetAttachment': {
        const secretId = String(p['SecretId']);
        // The cluster is MariaDB: its secret names MariaDB's address and the user the local cloud made.
        if (this.secrets && db && p['TargetType'] === 'AWS::RDS::DBCluster')
          this.secrets.put(
            secretId,
            JSON.stringify({
              engine: 'mysql',
              host: db.host,
              port: db.port,
              username: db.user,
              password: db.password,
              dbname: db.database,
              dbClusterIdentifier: p['TargetId'],
            }),
          );
        return { ...base, ref: secretId, attrs: {} };
      }
      default:
        return undefined;
    }
  }

  /** EventBridge buses, rules, archives, connections and API destinations: named and given their ARNs. */
  private async createEvents(base: ResourceBase, p: Props): Promise<CreatedResource | undefined> {
    const { stack, logicalId: id, type } = base;
    const named = (key: string, max = 64) =>
      (p[key] as string | undefined) ?? this.physicalName(stack, id, max);
    switch (type) {
      case 'AWS::Events::EventBus': {
        const name = named('Name', 256);
        return { ...base, ref: name, attrs: { Arn: this.arn('events', `event-bus/${name}`), Name: name } };
      }
      case 'AWS::Events::Rule': {
        const name = named('Name');
        const bus = String(p['EventBusName'] ?? 'default')
          .split('event-bus/')
          .pop()!;
        const arn = this.arn('events', `rule/${bus === 'default' ? '' : `${bus}/`}${name}`);
        return { ...base, ref: name, attrs: { Arn: arn } };
      }
      case 'AWS::Events::Archive': {
        const name = named('ArchiveName', 48);
        return { ...base, ref: name, attrs: { Arn: this.arn('events', `archive/${name}`) } };
      }
      case 'AWS::Events::Connection': {
        const name = named('Name');
        return {
          ...base,
          ref: name,
          attrs: {
            Arn: this.arn('events', `connection/${name}/local`),
            SecretArn: this.arn('secretsmanager', `secret:events!connection/${name}`),
          },
        };
      }
      case 'AWS::Logs::LogGroup': {
        // Functions log to the console locally; a log group is kept for the bus targets that write to it.
        this.inert.set(type, (this.inert.get(type) ?? 0) + 1);
        const name = (p['LogGroupName'] as string) ?? this.physicalName(stack, id, 512);
        return { ...base, ref: name, attrs: { Arn: this.arn('logs', `log-group:${name}:*`) } };
      }
      case 'AWS::Events::ApiDestination': {
        const name = named('Name');
        return { ...base, ref: name, attrs: { Arn: this.arn('events', `api-destination/${name}/local`) } };
      }
      default:
        return undefined;
    }
  }

  /** Tables (with streams and TTL) and buckets. */
  private async createStorage(base: ResourceBase, p: Props): Promise<CreatedResource | undefined> {
    const { stack, logicalId: id, type } = base;
    switch (type) {
      case 'AWS::DynamoDB::Table': {
        const name = (p['TableName'] as string) ?? this.physicalName(stack, id, 255);
        const gsis = (p['GlobalSecondaryIndexes'] as GlobalSecondaryIndex[] | undefined)?.map((g) => ({
          IndexName: g.IndexName,
          KeySchema: g.KeySchema,
          Projection: g.Projection,
        }));
        const created = this.clients.dynamodb.send(
          new CreateTableCommand({
            TableName: name,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: p['AttributeDefinitions'] as never,
            KeySchema: p['KeySchema'] as never,
            GlobalSecondaryIndexes: gsis as never,
            StreamSpecification: p['StreamSpecification']
              ? {
                  StreamEnabled: true,
                  StreamViewType: (p['StreamSpecification'] as { StreamViewType: string })
                    .StreamViewType as never,
                }
              : undefined,
          }),
        );
        // A table kept from an earlier run (--persist) is adopted with its items and brought to the
        // template's stream and indexes (kept-tables.ts).
        const table: TableDescription = await created.then(
          (r) => r.TableDescription!,
          async (error: Error) => {
            if (error.name !== 'ResourceInUseException') throw error;
            const { table, changes } = await reconcileKeptTable(this.clients.dynamodb, name, {
              attributeDefinitions: p['AttributeDefinitions'] as AttributeDefinition[],
              indexes: (gsis ?? []) as TableShape['indexes'],
              stream: (p['StreamSpecification'] as { StreamViewType: string } | undefined)?.StreamViewType,
            });
            for (const change of changes) this.keptTableChanges.push(`${name}: ${change}`);
            return table;
          },
        );
        const ttl = p['TimeToLiveSpecification'] as { AttributeName: string; Enabled: boolean } | undefined;
        if (ttl?.Enabled) {
          await this.clients.dynamodb
            .send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: ttl }))
            .catch((error: Error) => {
              // Already on, on a kept table.
              if (!/already enabled/i.test(error.message)) throw error;
            });
        }
        return {
          ...base,
          ref: name,
          attrs: {
            Arn: table.TableArn!,
            StreamArn: table.LatestStreamArn ?? '',
          },
        };
      }
      case 'AWS::Kinesis::Stream': {
        const name = (p['Name'] as string) ?? this.physicalName(stack, id, 128);
        await this.clients.kinesis
          .send(new CreateStreamCommand({ StreamName: name, ShardCount: Number(p['ShardCount'] ?? 1) }))
          .catch((error: Error) => {
            if (error.name !== 'ResourceInUseException') throw error;
          });
        // The emulator creates a stream asynchronously, as Kinesis does: ready when ACTIVE.
        for (let i = 0; i < 100; i++) {
          const { StreamDescriptionSummary } = await this.clients.kinesis.send(
            new DescribeStreamSummaryCommand({ StreamName: name }),
          );
          if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
          await new Promise((r) => setTimeout(r, 20));
        }
        return { ...base, ref: name, attrs: { Arn: this.arn('kinesis', `stream/${name}`) } };
      }
      case 'AWS::S3::Bucket': {
        const name = ((p['BucketName'] as string) ?? this.physicalName(stack, id, 63))
          .toLowerCase()
          .replace(/_/g, '-');
        await this.clients.s3.send(new CreateBucketCommand({ Bucket: name })).catch((error: Error) => {
          // A bucket kept from an earlier run (--persist), with its objects.
          if (!['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(error.name)) throw error;
        });
        return {
          ...base,
          ref: name,
          attrs: {
            Arn: `arn:aws:s3:::${name}`,
            DomainName: `${name}.s3.amazonaws.com`,
            RegionalDomainName: `${name}.s3.${this.region}.amazonaws.com`,
          },
        };
      }
      default:
        return undefined;
    }
  }

  /** Queues, topics and their subscriptions (filter policies, raw delivery, redrive). */
  private async createMessaging(base: ResourceBase, p: Props): Promise<CreatedResource | undefined> {
    const { stack, logicalId: id, type } = base;
    switch (type) {
      case 'AWS::SQS::Queue': {
        const name = (p['QueueName'] as string) ?? this.physicalName(stack, id);
        const attributes: Record<string, string> = {};
        if (p['VisibilityTimeout'] !== undefined)
          attributes['VisibilityTimeout'] = String(p['VisibilityTimeout']);
        if (p['MessageRetentionPeriod'] !== undefined)
          attributes['MessageRetentionPeriod'] = String(p['MessageRetentionPeriod']);
        if (p['RedrivePolicy']) attributes['RedrivePolicy'] = JSON.stringify(p['RedrivePolicy']);
        const { QueueUrl } = await this.clients.sqs.send(
          new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
        );
        const attrs = await this.clients.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
        );
        return {
          ...base,
          ref: QueueUrl!,
          attrs: { Arn: attrs.Attributes!['QueueArn']!, QueueName: name, QueueUrl: QueueUrl! },
        };
      }
      case 'AWS::SNS::Topic': {
        const name = (p['TopicName'] as string) ?? this.physicalName(stack, id, 256);
        const { TopicArn } = await this.clients.sns.send(new CreateTopicCommand({ Name: name }));
        return { ...base, ref: TopicArn!, attrs: { TopicArn: TopicArn!, TopicName: name } };
      }
      case 'AWS::SNS::Subscription': {
        const attributes: Record<string, string> = {};
        if (p['RawMessageDelivery'] !== undefined)
          attributes['RawMessageDelivery'] = String(p['RawMessageDelivery']);
        if (p['FilterPolicy']) attributes['FilterPolicy'] = JSON.stringify(p['FilterPolicy']);
        if (p['FilterPolicyScope']) attributes['FilterPolicyScope'] = String(p['FilterPolicyScope']);
        if (p['RedrivePolicy']) attributes['RedrivePolicy'] = JSON.stringify(p['RedrivePolicy']);
        const res = await this.clients.sns.send(
          new SubscribeCommand({
            TopicArn: p['TopicArn'] as string,
            Protocol: p['Protocol'] as string,
            Endpoint: p['Endpoint'] as string,
            Attributes: attributes,
            ReturnSubscriptionArn: true,
          }),
        );
        return { ...base, ref: res.SubscriptionArn!, attrs: {} };
      }
      default:
        return undefined;
    }
  }

  /** User pools, their clients and groups. */
  private async createIdentity(base: ResourceBase, p: Props): Promise<CreatedResource | undefined> {
    const { stack, logicalId: id, type } = base;
    switch (type) {
      case 'AWS::Cognito::UserPool': {
        const poolName = (p['UserPoolName'] as string) ?? this.physicalName(stack, id);
        // A pool kept from an earlier run (--persist) is adopted by name, with its users.
        const kept = (
          await this.clients.cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }))
        ).UserPools?.find((pool) => pool.Name === poolName);
        const poolId =
          kept?.Id ??
          (
            await this.clients.cognito.send(
              new CreateUserPoolCommand({
                PoolName: poolName,
                UsernameAttributes: p['UsernameAttributes'] as never,
                AutoVerifiedAttributes: p['AutoVerifiedAttributes'] as never,
              }),
            )
          ).UserPool!.Id!;
        return {
          ...base,
          ref: poolId,
          attrs: {
            Arn: this.arn('cognito-idp', `userpool/${poolId}`),
            ProviderName: `cognito-idp.${this.region}.amazonaws.com/${poolId}`,
            ProviderURL: `${this.cognitoOrigin}/${poolId}`,
            UserPoolId: poolId,
          },
        };
      }
      case 'AWS::Cognito::UserPoolClient': {
        const clientName = (p['ClientName'] as string) ?? id;
        const kept = (
          await this.clients.cognito.send(
            new ListUserPoolClientsCommand({ UserPoolId: p['UserPoolId'] as string, MaxResults: 60 }),
          )
        ).UserPoolClients?.find((c) => c.ClientName === clientName);
        const clientId =
          kept?.ClientId ??
          (
            await this.clients.cognito.send(
              new CreateUserPoolClientCommand({
                UserPoolId: p['UserPoolId'] as string,
                ClientName: clientName,
                ExplicitAuthFlows: p['ExplicitAuthFlows'] as never,
                GenerateSecret: false,
              }),
            )
          ).UserPoolClient!.ClientId!;
        return { ...base, ref: clientId, attrs: { ClientId: clientId } };
      }
      case 'AWS::Cognito::UserPoolGroup': {
        await this.clients.cognito
          .send(
            new CreateGroupCommand({
              UserPoolId: p['UserPoolId'] as string,
              GroupName: p['GroupName'] as string,
              Description: p['Description'] as string | undefined,
            }),
          )
          .catch((error: Error) => {
            if (error.name !== 'GroupExistsException') throw error;
          });
        return { ...base, ref: p['GroupName'] as string, attrs: {} };
      }
      default:
        return undefined;
    }
  }

  /** What the runtime serves itself (functions, APIs, stages, SSM parameters, distributions): recorded with the names and attributes AWS would give them. */
  private async createRecorded(base: ResourceBase, p: Props): Promise<CreatedResource | undefined> {
    const { stack, logicalId: id, type } = base;
    switch (type) {
      case 'AWS::SSM::Parameter': {
        const name = (p['Name'] as string) ?? `/local/${stack}/${id}`;
        this.ssm.set(name, String(p['Value']));
        return { ...base, ref: name, attrs: { Type: 'String', Value: String(p['Value']) } };
      }
      case 'AWS::Lambda::Function': {
        const name = (p['FunctionName'] as string) ?? this.physicalName(stack, id, 64);
        return { ...base, ref: name, attrs: { Arn: this.arn('lambda', `function:${name}`) } };
      }
      case 'AWS::ApiGateway::RestApi': {
        const apiId = this.physicalName(stack, id, 40).toLowerCase();
        return { ...base, ref: apiId, attrs: { RootResourceId: `${apiId}-root`, RestApiId: apiId } };
      }
      case 'AWS::ApiGatewayV2::Api': {
        // Its AWS hostname; the local cloud maps `<id>.execute-api.<region>.amazonaws.com` to its own origin.
        const apiId = this.physicalName(stack, id, 40).toLowerCase().replace(/_/g, '-');
        return {
          ...base,
          ref: apiId,
          attrs: { ApiId: apiId, ApiEndpoint: `wss://${apiId}.execute-api.${this.region}.amazonaws.com` },
        };
      }
      case 'AWS::CloudFront::Distribution': {
        const host = await this.distributionHost();
        const distributionId = this.physicalName(stack, id, 14).toUpperCase();
        return { ...base, ref: distributionId, attrs: { DomainName: host, Id: distributionId } };
      }
      case 'AWS::CloudFront::OriginAccessControl':
        return {
          ...base,
          ref: this.physicalName(stack, id, 14),
          attrs: { Id: this.physicalName(stack, id, 14) },
        };
      case 'AWS::ApiGateway::Stage':
        // As in AWS, a stage's Ref is its name (what `RestApi.url` joins into the API's URL).
        return { ...base, ref: p['StageName'] as string, attrs: {} };
      case 'AWS::ApiGateway::Resource':
        return { ...base, ref: `${stack}-${id}`, attrs: { ResourceId: `${stack}-${id}` } };
      default:
        return undefined;
    }
  }
}
