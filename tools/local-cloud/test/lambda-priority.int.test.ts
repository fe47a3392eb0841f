// Background functions (fed by event sources only) run below the functions someone waits on.
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { LambdaRuntime } from '../src/lambda-runtime';
import { backgroundFunctions } from '../src/local-cloud';
import type { Provisioner } from '../src/provision';

const handlers = join(__dirname, 'fixture', 'handlers');

describe('sandbox priority', () => {
  let runtime: LambdaRuntime;
  afterEach(() => runtime?.stop());

  it("runs a background function's sandbox at a lower priority than the local cloud, and others at its own", async () => {
    // Prepare
    runtime = new LambdaRuntime(() => undefined);
    for (const [name, background] of [
      ['api', false],
      ['consumer', true],
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
      });
    }
    // Act
    const [api, consumer] = await Promise.all([runtime.invoke('api', {}), runtime.invoke('consumer', {})]);
    // Assess
    expect(api).toBe(getPriority());
    expect(consumer).toBe(Math.min(19, getPriority() + 10));
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
});
