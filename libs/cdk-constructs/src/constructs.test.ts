import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventTopic } from './event-topic';
import { Inbox } from './inbox';
import { OutboxPublisher } from './outbox-publisher';
import { ServiceTable } from './service-table';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ServiceFunction } from './service-function';

// A bundle of one handler in a temporary dist folder, as `nx build` would write it.
const distDir = mkdtempSync(join(tmpdir(), 'bundles-'));
mkdirSync(join(distDir, 'svc', 'consume'), { recursive: true });
writeFileSync(join(distDir, 'svc', 'consume', 'index.js'), 'exports.handler = async () => ({});\n');
mkdirSync(join(distDir, 'svc', 'replay-outbox'), { recursive: true });
writeFileSync(join(distDir, 'svc', 'replay-outbox', 'index.js'), 'exports.handler = async () => ({});\n');

describe('ServiceFunction', () => {
  it('refuses to synthesize without its bundle and says which build to run', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new ServiceFunction(stack, 'F', { service: 'svc', handler: 'missing', distDir })).toThrow(
      /npx nx build svc/,
    );
  });

  it('gets a role of its own that may write only to its own log group', () => {
    // Prepare
    const stack = new Stack(new App(), 'S');
    // Act
    new ServiceFunction(stack, 'F', { service: 'svc', handler: 'consume', distDir, environment: { A: '1' } });
    // Assess
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::Role', 1);
    t.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Environment: { Variables: Match.objectLike({ A: '1', POWERTOOLS_SERVICE_NAME: 'svc' }) },
      DeadLetterConfig: { TargetArn: Match.anyValue() },
    });
    expect(JSON.stringify(t.findResources('AWS::IAM::Role'))).not.toContain('ManagedPolicyArns');
  });
});

describe('Inbox', () => {
  it('subscribes to each source topic read from SSM, with its filter policy and raw delivery', () => {
    // Prepare
    const stack = new Stack(new App(), 'S');
    const consumer = new ServiceFunction(stack, 'F', { service: 'svc', handler: 'consume', distDir });
    // Act
    new Inbox(stack, 'Inbox', {
      stage: 'dev',
      sources: [{ service: 'pedidos', eventTypes: ['OrderPlaced', 'OrderCancelled'] }],
      consumer,
      maxConcurrency: 3,
      maxReceiveCount: 4,
    });
    // Assess
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SNS::Subscription', {
      RawMessageDelivery: true,
      FilterPolicy: { type: ['OrderPlaced', 'OrderCancelled'] },
    });
    expect(JSON.stringify(t.toJSON().Parameters)).toContain('/order-platform/dev/pedidos/topic-arn');
    t.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { maxReceiveCount: 4 } });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 3 },
    });
  });
});

describe('EventTopic', () => {
  it('traces actively, so an X-Ray trace goes on through the topic', () => {
    // Prepare
    const stack = new Stack(new App(), 'S');
    // Act
    new EventTopic(stack, 'T', { stage: 'dev', service: 'pedidos' });
    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { TracingConfig: 'Active' });
  });
});

describe('OutboxPublisher', () => {
  it('may mark only outbox records, announces its table, and alarms when events wait too long', () => {
    // Prepare
    const stack = new Stack(new App(), 'S');
    const table = new ServiceTable(stack, 'T', { stream: true }).table;
    const publisher = new ServiceFunction(stack, 'P', { service: 'svc', handler: 'consume', distDir });
    // Act
    new OutboxPublisher(stack, 'O', {
      table,
      topic: new sns.Topic(stack, 'Topic'),
      publisher,
      stage: 'dev',
      service: 'svc',
      distDir,
    });
    // Assess
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'dynamodb:BatchWriteItem',
            Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OUTBOX#*'] } },
          }),
        ]),
      },
    });
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/order-platform/dev/svc/table-name' });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge', Threshold: 300000 });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ OUTBOX_TABLE_NAME: Match.anyValue() }) },
    });
    // The operator's replay: a function of its own that alone may scan the table, announced for painel.
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/order-platform/dev/svc/replay-function-arn' });
    const scanning = Object.entries(t.findResources('AWS::IAM::Policy'))
      .filter(([, r]) => JSON.stringify(r['Properties']['PolicyDocument']).includes('dynamodb:Scan'))
      .map(([id]) => id);
    expect(scanning).toEqual([expect.stringMatching(/^OReplay/)]);
  });
});
