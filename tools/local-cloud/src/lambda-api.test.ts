import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LocalLambdaApi } from './lambda-api';
import { FunctionError } from './lambda-runtime';

// The local Lambda Invoke API through the real SDK client.
const invoked: { name: string; payload: unknown }[] = [];
let api: LocalLambdaApi;
let lambda: LambdaClient;

beforeAll(async () => {
  api = await new LocalLambdaApi({
    async invoke(name, payload) {
      invoked.push({ name, payload });
      if (name === 'Broken') throw new FunctionError(name, 'TypeError', 'boom');
      return { echoed: payload };
    },
    has: (name) => ['Echo', 'Broken', 'Secret'].includes(name),
    arnOf: (name) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    authorize: (_req, arn) =>
      arn.endsWith(':Secret') ? 'not authorized to perform: lambda:InvokeFunction' : undefined,
    log: () => undefined,
  }).start();
  lambda = new LambdaClient({
    region: 'us-east-1',
    endpoint: api.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(() => api.stop());

const payload = (bytes?: Uint8Array) => JSON.parse(Buffer.from(bytes ?? []).toString('utf8'));

describe('LocalLambdaApi', () => {
  it('invokes a function by name or ARN and answers its result', async () => {
    // Act
    const byName = await lambda.send(
      new InvokeCommand({ FunctionName: 'Echo', Payload: Buffer.from('{"a":1}') }),
    );
    const byArn = await lambda.send(
      new InvokeCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:Echo',
        Payload: Buffer.from('{"b":2}'),
      }),
    );
    // Assess
    expect(byName.StatusCode).toBe(200);
    expect(payload(byName.Payload)).toEqual({ echoed: { a: 1 } });
    expect(payload(byArn.Payload)).toEqual({ echoed: { b: 2 } });
  });

  it('answers a function error as Lambda does: 200, FunctionError and the error payload', async () => {
    // Act
    const res = await lambda.send(new InvokeCommand({ FunctionName: 'Broken', Payload: Buffer.from('{}') }));
    // Assess
    expect(res.FunctionError).toBe('Unhandled');
    expect(payload(res.Payload)).toMatchObject({ errorType: 'TypeError' });
  });

  it('refuses an unknown function and a caller its role does not allow, invoking neither', async () => {
    // Prepare
    const before = invoked.length;
    // Act + Assess
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'Nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'Secret' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(invoked.length).toBe(before);
  });
});
