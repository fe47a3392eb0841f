// The chaos mode at each seam it owns: sandboxes, SQS event source, and the DynamoDB and SES emulators
// reached through the real SDK clients.
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { join } from 'node:path';
import { Chaos, describeChaos, parseChaosSpec, DEFAULT_CHAOS } from '../src/chaos';
import { startEmulators, type Emulators } from '../src/emulators';
import { pollSqs } from '../src/event-sources';
import { FunctionError, LambdaRuntime } from '../src/lambda-runtime';

const handlers = join(__dirname, 'fixture', 'handlers');
const common = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };

function runtimeWith(chaos: Chaos) {
  const runtime = new LambdaRuntime(() => undefined, chaos);
  runtime.register({
    name: 'fn',
    label: 'Fixture/SlowOk',
    codeDir: handlers,
    handler: 'slow-ok.handler',
    environment: {},
    timeoutMs: 5000,
    memoryMb: 128,
  });
  return runtime;
}

describe('chaos spec', () => {
  it('parses every fault and refuses what it does not know, saying what it expects', () => {
    // Act
    const spec = parseChaosSpec(DEFAULT_CHAOS);
    // Assess
    expect(spec).toMatchObject({
      lambdaError: 0.05,
      lambdaCrash: 0.02,
      latency: { p: 0.1, ms: 250 },
      duplicate: 0.1,
    });
    expect(describeChaos(spec)).toContain('ses-error=0.1');
    expect(() => parseChaosSpec('lambda-error=2')).toThrow(/between 0 and 1/);
    expect(() => parseChaosSpec('latency=0.5')).toThrow(/latency=<fraction>:<milliseconds>/);
    expect(() => parseChaosSpec('meteor=0.1')).toThrow(/unknown fault "meteor"/);
  });
});

describe('chaos in the sandboxes', () => {
  it('fails an invocation before the handler, and logs it with the function', async () => {
    // Prepare
    const lines: string[] = [];
    const chaos = new Chaos(parseChaosSpec('lambda-error=1'), (l) => lines.push(l));
    const runtime = runtimeWith(chaos);
    // Act
    const result = runtime.invoke('fn', { Records: [{ messageId: 'm-1' }] });
    // Assess
    await expect(result).rejects.toMatchObject({ errorType: 'Chaos.InjectedError' });
    expect(lines[0]).toMatch(/lambda-error Fixture\/SlowOk records m-1/);
    runtime.stop();
  });

  it('injects nothing while quiet (the seed), and every fault again afterwards', async () => {
    // Prepare
    const chaos = new Chaos(parseChaosSpec('lambda-error=1,latency=1:5'));
    const runtime = runtimeWith(chaos);
    // Act
    const quiet = await chaos.quiet(() => runtime.invoke('fn', { Records: [{ messageId: 'm-1' }] }));
    const after = runtime.invoke('fn', { Records: [{ messageId: 'm-2' }] });
    // Assess
    expect(quiet).toBeDefined();
    await expect(after).rejects.toMatchObject({ errorType: 'Chaos.InjectedError' });
    expect(chaos.spec).toMatchObject({ lambdaError: 1, latency: { p: 1, ms: 5 } });
    runtime.stop();
  });

  it('kills the sandbox in the middle of the handler, and the next invocation gets a fresh one', async () => {
    // Prepare
    const chaos = new Chaos(parseChaosSpec('lambda-crash=1'));
    const runtime = runtimeWith(chaos);
    // Act
    const crashed = await runtime.invoke('fn', {}).catch((e: FunctionError) => e);
    chaos.spec.lambdaCrash = 0;
    const next = await runtime.invoke('fn', { again: true });
    // Assess
    expect(crashed).toBeInstanceOf(FunctionError);
    expect((crashed as FunctionError).errorType).toBe('Runtime.ExitError');
    expect(next).toEqual({ ok: true, got: { again: true } });
    expect(chaos.counts['lambda-crash']).toBe(1);
    runtime.stop();
  });

  it('delays an invocation by the latency asked for', async () => {
    // Prepare
    const chaos = new Chaos(parseChaosSpec('latency=1:300'));
    const runtime = runtimeWith(chaos);
    // Act
    const result = await runtime.invoke('fn', { x: 1 });
    // Assess
    expect(result).toEqual({ ok: true, got: { x: 1 } });
    expect(chaos.counts.latency).toBe(1);
    runtime.stop();
  });
});

describe('chaos at the emulators and event sources', () => {
  let emulators: Emulators;
  beforeAll(async () => {
    emulators = await startEmulators({}, ['dynamodb', 'sqs', 'ses']);
  }, 90000);
  afterAll(() => emulators?.stop());

  it('answers DynamoDB and SES calls as the real services do when they throttle', async () => {
    // Prepare
    const lines: string[] = [];
    const chaos = new Chaos(parseChaosSpec('dynamodb-throttle=1,ses-error=1'), (l) => lines.push(l));
    const db = new DynamoDBClient({
      ...common,
      endpoint: await chaos.proxy('dynamodb', emulators.endpoints.dynamodb),
      maxAttempts: 1,
      customUserAgent: [['app/Fixture-Fn']],
    });
    const ses = new SESClient({
      ...common,
      endpoint: await chaos.proxy('ses', emulators.endpoints.ses),
      maxAttempts: 1,
    });
    // Act
    const dbError = (await db.send(new ListTablesCommand({})).then(
      () => new Error('no fault'),
      (e: Error) => e,
    )) as Error;
    const sesError = await ses
      .send(
        new SendEmailCommand({
          Source: 'a@example.com',
          Destination: { ToAddresses: ['b@example.com'] },
          Message: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } },
        }),
      )
      .then(
        () => new Error('no fault'),
        (e: Error) => e,
      );
    chaos.spec.dynamodbThrottle = 0;
    const through = await db.send(new ListTablesCommand({}));
    // Assess
    expect(['ThrottlingException', 'InternalServerError']).toContain(dbError.name);
    expect(['Throttling', 'ServiceUnavailable']).toContain(sesError.name);
    expect(through.TableNames).toEqual(expect.any(Array));
    expect(lines.some((l) => /dynamodb-throttle .*ListTables/.test(l))).toBe(true);
    chaos.stop();
  });

  it('delivers SQS messages twice: a copy returns to the queue', async () => {
    // Prepare
    const sqs = new SQSClient({ ...common, endpoint: emulators.endpoints.sqs });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'chaos-dup' }));
    const chaos = new Chaos(parseChaosSpec('duplicate=1'));
    const runtime = runtimeWith(chaos);
    const stop = pollSqs(
      runtime,
      sqs,
      {
        functionName: 'fn',
        queueUrl: QueueUrl!,
        queueArn: 'arn:aws:sqs:us-east-1:000000000000:chaos-dup',
        batchSize: 10,
        maxConcurrency: 1,
        reportBatchItemFailures: true,
      },
      () => undefined,
      'us-east-1',
      chaos,
    );
    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"n":1}' }));
    const deadline = Date.now() + 15000;
    while (chaos.counts.duplicate < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    chaos.spec.duplicate = 0;
    stop();
    runtime.stop();
    // Assess
    expect(chaos.counts.duplicate).toBeGreaterThanOrEqual(2);
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    expect(Number(attrs.Attributes!['ApproximateNumberOfMessages'])).toBeLessThanOrEqual(1);
  });
});
