import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dms from 'aws-cdk-lib/aws-dms';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEvents from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge, deadLetterQueue, Inbox, ServiceFunction } from '@order-platform/cdk-constructs';

/**
 * Where the legacy orders come from: a new Aurora MySQL cluster the stack creates (`aurora`), or the shop's
 * own MySQL-compatible database (`existing`), whose address and credentials are in the Secrets Manager
 * secret `secretName` (RDS's shape: host, port, username, password, dbname), which DMS and the write-back
 * read. Reaching an existing database from this VPC (peering, a transit gateway) is the operator's part.
 */
export type LegacySource = { kind: 'aurora' } | { kind: 'existing'; secretName: string };

export interface LegacyChannelProps {
  stage: string;
  source: LegacySource;
  /** pedidos' table: the consumer stores orders there, the write-back reads them. */
  table: dynamodb.ITable;
  removalPolicy: RemovalPolicy;
  /** Whether the write-back's connection must use TLS (`rds`); `off` only for the local cloud's MariaDB. */
  tls: 'rds' | 'off';
  /** The legacy table (`erp.pedidos` as seed 004 gives it). */
  schema?: string;
  tableName?: string;
}

/**
 * The legacy channel of seed 004 (ADR 0016): the legacy MySQL database's new rows of `erp.pedidos` become
 * orders. In private subnets of a VPC of its own, AWS DMS (full load + CDC of the binlog in ROW format)
 * writes each change to a Kinesis data stream; the pedidos consumer takes them in (batches, bisect on
 * error, partial batch failures, on-failure destination with an alarm); the outcome of each legacy order
 * is written back to its row by a function inside the VPC.
 */
export class LegacyChannel extends Construct {
  readonly vpc: ec2.Vpc;
  readonly stream: kinesis.Stream;
  readonly secret: secretsmanager.ISecret;
  readonly cluster?: rds.DatabaseCluster;
  readonly replicationTask: dms.CfnReplicationTask;
  readonly intake: ServiceFunction;
  readonly writeBack: ServiceFunction;

  constructor(scope: Construct, id: string, props: LegacyChannelProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const schema = props.schema ?? 'erp';
    const tableName = props.tableName ?? 'pedidos';

    // Private subnets with no route out: the database, DMS and the write-back talk to each other and to
    // AWS through endpoints only. Rejected traffic is logged.
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      flowLogs: {
        rejected: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
          trafficType: ec2.FlowLogTrafficType.REJECT,
        },
      },
    });
    const subnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    this.vpc.addGatewayEndpoint('DynamoDb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    const endpointSg = new ec2.SecurityGroup(this, 'EndpointSg', {
      vpc: this.vpc,
      description: 'The Secrets Manager endpoint: HTTPS from inside the VPC',
      allowAllOutbound: false,
    });
    endpointSg.addIngressRule(ec2.Peer.ipv4(this.vpc.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS from the VPC');
    acknowledge(
      endpointSg,
      'AwsSolutions-EC23',
      "The rule cannot read the VPC's CIDR (a token): ingress is HTTPS from this VPC's own range only.",
    );
    this.vpc.addInterfaceEndpoint('SecretsManager', {
      service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      subnets,
      securityGroups: [endpointSg],
    });

    const databaseSg = new ec2.SecurityGroup(this, 'DatabaseSg', {
      vpc: this.vpc,
      description: 'The legacy database: MySQL from DMS and the write-back only',
      allowAllOutbound: false,
    });
    const dmsSg = new ec2.SecurityGroup(this, 'ReplicationSg', {
      vpc: this.vpc,
      description: 'The DMS replication instance: to the database and AWS endpoints',
    });
    const writeBackSg = new ec2.SecurityGroup(this, 'WriteBackSg', {
      vpc: this.vpc,
      description: 'The write-back function: to the database and AWS endpoints',
    });

    if (props.source.kind === 'aurora') {
      // Aurora MySQL 3 with the binlog DMS reads: ROW format, full images, no checksum (DMS's requirements).
      const parameters = new rds.ParameterGroup(this, 'BinlogParameters', {
        engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_2 }),
        description: 'Binlog in ROW format for change data capture by DMS; TLS required',
        parameters: {
          binlog_format: 'ROW',
          binlog_row_image: 'full',
          binlog_checksum: 'NONE',
          require_secure_transport: 'ON',
        },
      });
      // The cluster's log groups, made first with their retention (RDS would make them kept for ever).
      const clusterIdentifier = `order-platform-${props.stage}-legacy`;
      const logGroups = ['error', 'slowquery'].map(
        (log) =>
          new logs.LogGroup(this, `DatabaseLogs-${log}`, {
            logGroupName: `/aws/rds/cluster/${clusterIdentifier}/${log}`,
            retention: logs.RetentionDays.ONE_MONTH,
            removalPolicy: RemovalPolicy.DESTROY,
          }),
      );
      this.cluster = new rds.DatabaseCluster(this, 'Database', {
        clusterIdentifier,
        engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_2 }),
        writer: rds.ClusterInstance.serverlessV2('Writer'),
        serverlessV2MinCapacity: 0.5,
        serverlessV2MaxCapacity: 4,
        vpc: this.vpc,
        vpcSubnets: subnets,
        securityGroups: [databaseSg],
        credentials: rds.Credentials.fromGeneratedSecret('erp_admin'),
        defaultDatabaseName: schema,
        parameterGroup: parameters,
        storageEncrypted: true,
        iamAuthentication: true,
        deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
        removalPolicy:
          props.removalPolicy === RemovalPolicy.RETAIN ? RemovalPolicy.SNAPSHOT : props.removalPolicy,
        backup: { retention: Duration.days(7) },
        cloudwatchLogsExports: ['error', 'slowquery'],
      });
      for (const group of logGroups) this.cluster.node.addDependency(group);
      this.secret = this.cluster.secret!;
      acknowledge(
        this.cluster,
        'AwsSolutions-RDS11',
        'The legacy system connects on MySQL’s standard port; the database has no route in from outside the VPC.',
      );
      acknowledge(
        this.cluster,
        'AwsSolutions-RDS14',
        'Backtrack cannot be enabled on Aurora MySQL 3 Serverless v2; backups are kept 7 days.',
      );
      if (props.removalPolicy !== RemovalPolicy.RETAIN)
        acknowledge(
          this.cluster,
          'AwsSolutions-RDS10',
          'Deletion protection is on where stateful resources are retained (prod); other stages are torn down with their stacks.',
        );
      acknowledge(
        this.cluster,
        'AwsSolutions-SMG4',
        'Rotation runs a Lambda that needs its own path to the database and Secrets Manager; DMS and the write-back read the secret at each connection, so rotating by hand (or adding rotation) needs no code change.',
      );
    } else {
      this.secret = secretsmanager.Secret.fromSecretNameV2(this, 'Database', props.source.secretName);
    }

    // DMS: a replication instance in the private subnets, full load + CDC of erp.pedidos to the stream.
    this.stream = new kinesis.Stream(this, 'Changes', {
      streamMode: kinesis.StreamMode.PROVISIONED,
      shardCount: 1,
      encryption: kinesis.StreamEncryption.MANAGED,
      retentionPeriod: Duration.hours(48),
    });
    const region = stack.region;
    const dmsPrincipal = new iam.ServicePrincipal(`dms.${region}.amazonaws.com`);
    const secretAccess = new iam.Role(this, 'ReplicationSecretRole', {
      assumedBy: dmsPrincipal,
      description: 'DMS reads the legacy database credentials',
    });
    this.secret.grantRead(secretAccess);
    const streamAccess = new iam.Role(this, 'ReplicationStreamRole', {
      assumedBy: dmsPrincipal,
      description: 'DMS writes the legacy database changes to the stream',
    });
    this.stream.grant(streamAccess, 'kinesis:DescribeStream', 'kinesis:PutRecord', 'kinesis:PutRecords');
    const subnetGroup = new dms.CfnReplicationSubnetGroup(this, 'ReplicationSubnets', {
      replicationSubnetGroupDescription: `order-platform ${props.stage}: the legacy channel's DMS subnets`,
      subnetIds: this.vpc.isolatedSubnets.map((s) => s.subnetId),
    });
    const instance = new dms.CfnReplicationInstance(this, 'ReplicationInstance', {
      replicationInstanceClass: 'dms.t3.small',
      allocatedStorage: 50,
      publiclyAccessible: false,
      multiAz: props.removalPolicy === RemovalPolicy.RETAIN,
      autoMinorVersionUpgrade: true,
      replicationSubnetGroupIdentifier: subnetGroup.ref,
      vpcSecurityGroupIds: [dmsSg.securityGroupId],
    });
    const source = new dms.CfnEndpoint(this, 'SourceEndpoint', {
      endpointType: 'source',
      engineName: props.source.kind === 'aurora' ? 'aurora' : 'mysql',
      sslMode: 'require',
      mySqlSettings: {
        secretsManagerSecretId: this.secret.secretArn,
        secretsManagerAccessRoleArn: secretAccess.roleArn,
      },
    });
    const target = new dms.CfnEndpoint(this, 'TargetEndpoint', {
      endpointType: 'target',
      engineName: 'kinesis',
      kinesisSettings: {
        streamArn: this.stream.streamArn,
        messageFormat: 'json',
        serviceAccessRoleArn: streamAccess.roleArn,
        includeTableAlterOperations: false,
        includeControlDetails: false,
        partitionIncludeSchemaTable: false,
      },
    });
    this.replicationTask = new dms.CfnReplicationTask(this, 'Replication', {
      migrationType: 'full-load-and-cdc',
      replicationInstanceArn: instance.ref,
      sourceEndpointArn: source.ref,
      targetEndpointArn: target.ref,
      tableMappings: JSON.stringify({
        rules: [
          {
            'rule-type': 'selection',
            'rule-id': '1',
            'rule-name': `${schema}-${tableName}`,
            'object-locator': { 'schema-name': schema, 'table-name': tableName },
            'rule-action': 'include',
          },
        ],
      }),
      replicationTaskSettings: JSON.stringify({
        Logging: { EnableLogging: true },
        FullLoadSettings: { TargetTablePrepMode: 'DO_NOTHING' },
      }),
    });
    if (props.source.kind === 'aurora') {
      databaseSg.addIngressRule(dmsSg, ec2.Port.tcp(3306), 'DMS reads the binlog');
      databaseSg.addIngressRule(writeBackSg, ec2.Port.tcp(3306), 'The write-back updates order rows');
    }

    // The consumer: in order per row (DMS partitions by primary key), retried, bisected, never dropped.
    this.intake = new ServiceFunction(this, 'IntakeLegacyOrders', {
      service: 'pedidos',
      handler: 'intake-legacy-orders',
      environment: { TABLE_NAME: props.table.tableName, LEGACY_SCHEMA: schema, LEGACY_TABLE: tableName },
      timeout: Duration.seconds(60),
    });
    this.intake.grant(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [props.table.tableArn],
      }),
    );
    const failed = deadLetterQueue(this, "on-failure destination of the legacy channel's stream");
    this.intake.function.addEventSource(
      new lambdaEvents.KinesisEventSource(this.stream, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        maxRecordAge: Duration.hours(24),
        onFailure: new lambdaEvents.SqsDlq(failed.queue),
      }),
    );

    // The write-back: inside the VPC, reads the order (DynamoDB endpoint) and the secret (its endpoint).
    this.writeBack = new ServiceFunction(this, 'WriteBackLegacy', {
      service: 'pedidos',
      handler: 'write-back-legacy',
      environment: {
        TABLE_NAME: props.table.tableName,
        LEGACY_DB_SECRET_ARN: this.secret.secretArn,
        LEGACY_DB_TLS: props.tls,
        LEGACY_TABLE: tableName,
      },
      timeout: Duration.seconds(20),
      network: { vpc: this.vpc, subnets, securityGroup: writeBackSg },
    });
    this.writeBack.grant(
      new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [props.table.tableArn] }),
    );
    this.secret.grantRead(this.writeBack.role);
    new Inbox(this, 'Outcomes', {
      stage: props.stage,
      // Legacy orders' outcomes only: no invocation for the other channels' orders.
      sources: [
        {
          service: 'pedidos',
          eventTypes: ['OrderCompleted', 'OrderRejected', 'OrderCancelled'],
          channels: ['legacy'],
        },
      ],
      consumer: this.writeBack,
      visibilityTimeout: Duration.seconds(120),
    });
  }
}
