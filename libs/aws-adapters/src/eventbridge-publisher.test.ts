import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { newEvent } from '@order-platform/contracts';
import { Readable } from 'node:stream';
import { EventBridgePublisher, Publishers } from './eventbridge-publisher';

/** An EventBridge client whose HTTP handler records each request body and answers with `answer`. */
function recordingClient(
  bodies: Record<string, unknown>[],
  answer: Record<string, unknown>,
): EventBridgeClient {
  return new EventBridgeClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    requestHandler: {
      handle: async (request: { body: string }) => {
        bodies.push(JSON.parse(request.body));
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: Readable.from([JSON.stringify(answer)]),
          },
        };
      },
    } as never,
  });
}

describe('EventBridgePublisher', () => {
  const event = newEvent(
    'OrderRejected',
    'pedidos',
    { orderId: 'o1', customerId: 'c1', reason: 'x' },
    {
      correlationId: 'c',
    },
  );
  const bus = 'arn:aws:events:us-east-1:1:event-bus/order-platform-dev';

  it('puts the envelope on the bus as order-platform.<service>, typed, with its trace', async () => {
    const bodies: Record<string, unknown>[] = [];
    const client = recordingClient(bodies, { FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    await new EventBridgePublisher(client, bus).publish(event, { traceHeader: 'Root=1-abc' });
    expect(bodies[0]).toMatchObject({
      Entries: [
        {
          EventBusName: bus,
          Source: 'order-platform.pedidos',
          DetailType: 'OrderRejected',
          Detail: JSON.stringify(event),
          TraceHeader: 'Root=1-abc',
        },
      ],
    });
  });

  it('fails the publish when the bus refuses the entry, so the outbox record is retried', async () => {
    const client = recordingClient([], {
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    });
    await expect(new EventBridgePublisher(client, bus).publish(event)).rejects.toThrow(/InternalFailure/);
  });

  it('publishes to each in turn and stops at the first failure', async () => {
    const calls: string[] = [];
    const ok = (name: string) => ({ publish: async () => void calls.push(name) });
    const failing = { publish: async () => Promise.reject(new Error('down')) };
    await expect(new Publishers([ok('sns'), failing, ok('never')]).publish(event)).rejects.toThrow('down');
    expect(calls).toEqual(['sns']);
  });
});
