import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import {
  acknowledge,
  type ApiOptions,
  Inbox,
  OutboxPublisher,
  ServiceApi,
  ServiceFunction,
  ServiceTable,
  serviceTopic,
} from '@order-platform/cdk-constructs';

export interface FaturasStackProps extends StackProps {
  stage: string;
  /** Sender of invoice e-mails; its SES identity is declared here (verify it once per account). */
  senderEmail?: string;
  /** CORS origins and rate limits of the stage's REST API. */
  api?: ApiOptions;
}

/** faturas: invoices, their number series, and their PDF / NF-e XML documents in S3. */
export class FaturasStack extends Stack {
  constructor(scope: Construct, id: string, props: FaturasStackProps) {
    super(scope, id, props);
    const service = 'faturas';
    const { table } = new ServiceTable(this, 'Invoices', { stream: true });
    const topic = serviceTopic(this, 'Events', props.stage, service);

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      accessLogs,
      'AwsSolutions-S1',
      'This bucket receives the access logs of the documents bucket; logging it again would loop.',
    );
    const documents = new s3.Bucket(this, 'Documents', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'documents/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const getInvoice = new ServiceFunction(this, 'GetInvoice', {
      service,
      handler: 'get-invoice',
      environment: { TABLE_NAME: table.tableName, DOCUMENTS_BUCKET: documents.bucketName },
    });
    getInvoice.grant(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [table.tableArn] }));
    getInvoice.grant(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [documents.arnForObjects('invoices/*')],
      }),
    );
    acknowledge(
      getInvoice.role,
      `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(documents.node.defaultChild as never)}.Arn>/invoices/*]`,
      'Presigned download links need GetObject on the invoice documents, whose keys are known only at run time.',
    );

    const senderEmail = props.senderEmail ?? 'faturas@example.com';
    const identity = new ses.EmailIdentity(this, 'Sender', { identity: ses.Identity.email(senderEmail) });
    const issueInvoice = new ServiceFunction(this, 'IssueInvoice', {
      service,
      handler: 'issue-invoice',
      environment: {
        TABLE_NAME: table.tableName,
        DOCUMENTS_BUCKET: documents.bucketName,
        SENDER_EMAIL: senderEmail,
      },
      timeout: Duration.seconds(30),
      memorySize: 1024,
    });
    issueInvoice.grant(
      new iam.PolicyStatement({
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ],
        resources: [table.tableArn],
      }),
    );
    issueInvoice.grant(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [documents.arnForObjects('invoices/*')],
      }),
    );
    issueInvoice.grant(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          `arn:${this.partition}:ses:${this.region}:${this.account}:identity/${identity.emailIdentityName}`,
        ],
      }),
    );
    acknowledge(
      issueInvoice.role,
      `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(documents.node.defaultChild as never)}.Arn>/invoices/*]`,
      'Invoice documents are written and linked under invoices/, with keys known only at run time.',
    );
    new Inbox(this, 'Inbox', {
      stage: props.stage,
      sources: [{ service: 'pedidos', eventTypes: ['OrderCompleted', 'OrderCancelled'] }],
      consumer: issueInvoice,
      visibilityTimeout: Duration.seconds(180),
      maxBatchingWindow: Duration.seconds(1),
    });
    const publishEvents = new ServiceFunction(this, 'PublishEvents', { service, handler: 'publish-events' });
    const api = new ServiceApi(this, 'Api', { stage: props.stage, service, ...props.api });
    api.route('GET', '/invoices/{orderId}', getInvoice, 'customer');
    // The invoice mail names the invoice in this API: readable only with the customer's sign-in.
    issueInvoice.function.addEnvironment('INVOICE_API_URL', api.api.url);
    new OutboxPublisher(this, 'Outbox', {
      table,
      topic,
      publisher: publishEvents,
      stage: props.stage,
      service,
    });
  }
}
