// The Lambda runtime's local policies: background functions (fed by event sources only) run below the
// functions someone waits on and with fewer environments, deferrable ones (batching windows) lower still and their SQS batches held while others are busy; what it counts for the cost model.
import { getPriority } from 'node:os';
import { join } from 'node:path';
import {
  BACKGROUND_LOCAL_CONCURRENCY,
  BACKGROUND_NICENESS,
  DEFAULT_LOCAL_CONCURRENCY,
  DEFERRABLE_NICENESS,
  DEFERRAL_MS,
  LambdaRuntime,
} from '../src/lambda-runtime';
import { backgroundFunctions, deferrableFunctions, sqsMappingOf } from '../src/local-cloud';
import type { Provisioner } from '../src/provision';

const handlers = join(__dirname, 'fixture', 'handlers');

describe('sandbox priority', () => {
  let runtime: LambdaRuntime;
  afterEach(() => runtime?.stop());

  it("runs a background function's sandbox at a lower priority than the local cloud, a deferrable one lower still, and others at its own", async () => {
    // Prepare
    runtime = new LambdaRuntime(() => undefined);
    for (const [name, background, deferrable] of [
      ['api', false, false],
      ['consumer', true, false],
      ['mailer', true, true],
    ] as const) {
      runtime.register({
        name,
        label: `Fixture/${name}`,
        codeDir: handlers,
        handler: 'priority.handler',
        environment: {},
        timeoutMs: 5000,
        memoryMb: 128,
        background,
        deferrable,
      });
    }
    // Act
    const [api, consumer, mailer] = await Promise.all([
      runtime.invoke('api', {}),
      runtime.invoke('consumer', {}),
      runtime.invoke('mailer', {}),
    ]);
    // Assess
    expect(BACKGROUND_NICENESS).toBeLessThan(DEFERRABLE_NICENESS);
    expect(api).toBe(getPriority());
    expect(consumer).toBe(Math.min(19, getPriority() + BACKGROUND_NICENESS));
    expect(mailer).toBe(Math.min(19, getPriority() + DEFERRABLE_NICENESS));
  });

  it('gives a background function two environments at once and any other eight, unless it reserves its own', async () => {
    // Prepare
    runtime = new LambdaRuntime(() => undefined);
    const spec = {
      codeDir: handlers,
      handler: 'state.handler',
      environment: {},
      timeoutMs: 5000,
      memoryMb: 128,
    };
    runtime.register({ ...spec, name: 'consumer', label: 'Fixture/consumer', background: true });
    runtime.register({ ...spec, name: 'api', label: 'Fixture/api' });
    runtime.register({
      ...spec,
      name: 'reserved',
      label: 'Fixture/reserved',
      background: true,
      reservedConcurrency: 3,
    });
    const pids = async (name: string) => {
      const all = await Promise.all(
        Array.from({ length: 10 }, () => runtime.invoke(name, { ms: 300 }) as Promise<{ pid: number }>),
      );
      return new Set(all.map((r) => r.pid)).size;
    };
    // Act / Assess: ten invocations at once, each 300 ms, run in as many environments as allowed.
    expect(await pids('consumer')).toBe(BACKGROUND_LOCAL_CONCURRENCY);
    expect(await pids('api')).toBe(DEFAULT_LOCAL_CONCURRENCY);
    expect(await pids('reserved')).toBe(3);
  });

  it('counts the SQS messages and the batches they came in, for the cost model', async () => {
    // Prepare
    runtime = new LambdaRuntime(() => undefined);
    runtime.register({
      name: 'consumer',
      label: 'Fixture/consumer',
      codeDir: handlers,
      handler: 'priority.handler',
      environment: {},
      timeoutMs: 5000,
      memoryMb: 128,
    });
    const batch = (n: number) => ({
      Records: Array.from({ length: n }, (_, i) => ({ eventSource: 'aws:sqs', messageId: `m${i}` })),
    });
    // Act: two SQS batches (3 and 1 messages) and one invocation that is not from SQS.
    await runtime.invoke('consumer', batch(3));
    await runtime.invoke('consumer', batch(1));
    await runtime.invoke('consumer', { Records: [{ eventSource: 'aws:kinesis' }] });
    // Assess
    expect(runtime.stats()['consumer']).toMatchObject({ invocations: 3, sqsMessages: 4, sqsBatches: 2 });
  });

  it('counts as background only the functions an event source mapping feeds and nothing may invoke', () => {
    // Prepare: a consumer fed by a queue, an API function, and one both fed and invokable by API Gateway.
    const resources: Record<string, { properties: Record<string, unknown> }[]> = {
      'AWS::Lambda::EventSourceMapping': [
        { properties: { FunctionName: 'consumer' } },
        { properties: { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:both' } },
        { properties: { FunctionName: 'disabled', Enabled: false } },
      ],
      'AWS::Lambda::Permission': [
        { properties: { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:api' } },
        { properties: { FunctionName: 'both' } },
      ],
    };
    const provisioner = { byType: (type: string) => resources[type] ?? [] } as unknown as Provisioner;
    // Act / Assess
    expect([...backgroundFunctions(provisioner)]).toEqual(['consumer']);
  });

  it('counts as deferrable the background functions whose every enabled mapping gathers over a window', () => {
    // Prepare: windowed consumers (one also fed without a window, one also invokable), and a plain one.
    const resources: Record<string, { properties: Record<string, unknown> }[]> = {
      'AWS::Lambda::EventSourceMapping': [
        { properties: { FunctionName: 'mailer', MaximumBatchingWindowInSeconds: 1 } },
        { properties: { FunctionName: 'mailer', MaximumBatchingWindowInSeconds: 5 } },
        { properties: { FunctionName: 'mailer', Enabled: false } },
        { properties: { FunctionName: 'mixed', MaximumBatchingWindowInSeconds: 1 } },
        { properties: { FunctionName: 'mixed' } },
        { properties: { FunctionName: 'saga', MaximumBatchingWindowInSeconds: 0 } },
        { properties: { FunctionName: 'invokable', MaximumBatchingWindowInSeconds: 1 } },
      ],
      'AWS::Lambda::Permission': [{ properties: { FunctionName: 'invokable' } }],
    };
    const provisioner = { byType: (type: string) => resources[type] ?? [] } as unknown as Provisioner;
    // Act / Assess
    expect([...deferrableFunctions(provisioner)]).toEqual(['mailer']);
  });

  it("polls a deferrable function's queue with a hold that fits its visibility timeout, and others' without", () => {
    // Prepare: the dashboard's inbox as painel's stack declares it, and a queue with SQS's defaults.
    const mapping = {
      FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:mailer',
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    };
    const inbox = { ref: 'http://127.0.0.1/inbox', properties: { VisibilityTimeout: 120 } };
    const plain = { ref: 'http://127.0.0.1/plain', properties: {} };
    // Act
    const deferred = sqsMappingOf(mapping, inbox, 'arn:inbox', 20, true);
    const tight = sqsMappingOf(mapping, plain, 'arn:plain', 20, true);
    const other = sqsMappingOf(mapping, inbox, 'arn:inbox', 20, false);
    // Assess
    expect(deferred).toMatchObject({
      functionName: 'mailer',
      batchSize: 10,
      batchingWindowMs: 1000,
      reportBatchItemFailures: true,
      deferralMs: DEFERRAL_MS,
    });
    expect(tight.deferralMs).toBe(30_000 - 1_000 - 20_000 - 5_000);
    expect(other.deferralMs).toBeUndefined();
  });
});
