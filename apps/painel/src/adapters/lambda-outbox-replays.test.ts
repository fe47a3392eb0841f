import { LambdaClient } from '@aws-sdk/client-lambda';
import { Readable } from 'node:stream';
import { LambdaOutboxReplays } from './lambda-outbox-replays';

/** A Lambda client whose HTTP handler answers per function as the Lambda API does: a result, a function error, a throttle. */
function lambdaAnswering(invoked: { path: string; body: string }[]): LambdaClient {
  return new LambdaClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { path: string; body?: unknown }) => {
        invoked.push({ path: request.path, body: Buffer.from(request.body as Uint8Array).toString('utf8') });
        const answer = (statusCode: number, body: unknown, headers: Record<string, string> = {}) => ({
          response: {
            statusCode,
            headers: { 'content-type': 'application/json', ...headers },
            body: Readable.from([Buffer.from(JSON.stringify(body))]),
          },
        });
        if (request.path.includes('pedidos-replay'))
          return answer(200, {
            dryRun: false,
            replayed: [{ eventId: 'e1', type: 'OrderCompleted', occurredAt: 'x' }],
          });
        if (request.path.includes('faturas-replay'))
          return answer(
            200,
            { errorType: 'Error', errorMessage: 'scan failed' },
            { 'x-amz-function-error': 'Unhandled' },
          );
        return answer(429, { message: 'Rate exceeded' }, { 'x-amzn-errortype': 'TooManyRequestsException' });
      },
    } as never,
  });
}

describe('LambdaOutboxReplays', () => {
  it("reports each service's outcome: its events, its function's error, or the throttle, without throwing", async () => {
    // Prepare
    const invoked: { path: string; body: string }[] = [];
    const replays = new LambdaOutboxReplays(lambdaAnswering(invoked), {
      produtos: 'produtos-replay',
      pedidos: 'pedidos-replay',
      faturas: 'faturas-replay',
    });
    // Act
    const outcomes = await replays.replay('o-1', 60);
    // Assess
    expect(outcomes).toEqual([
      { service: 'produtos', error: expect.stringMatching(/Rate exceeded/) },
      { service: 'pedidos', events: [{ eventId: 'e1', type: 'OrderCompleted' }] },
      { service: 'faturas', error: 'scan failed' },
    ]);
    expect(invoked.map((i) => JSON.parse(i.body))).toEqual(
      Array(3).fill({ orderId: 'o-1', olderThanSeconds: 60 }),
    );
  });
});
