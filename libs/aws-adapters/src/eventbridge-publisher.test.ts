import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { newEvent } from '@order-platform/contracts';
import { Readable } from 'node:stream';
import { EventBridgePublisher } from './eventbridge-publisher';

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
    const refused = await new EventBridgePublisher(client, bus).publishAll([
      { event, traceHeader: 'Root=1-abc' },
    ]);
    expect(refused).toEqual([]);
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

  it('names an entry the bus refuses, so its outbox record is retried', async () => {
    const client = recordingClient([], {
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    });
    expect(await new EventBridgePublisher(client, bus).publishAll([{ event }])).toEqual([
      { eventId: event.id, reason: 'InternalFailure try again' },
    ]);
  });

  it('puts many events ten per call, in order, and names the ones refused', async () => {
    // Prepare: 23 events; the bus refuses the second entry of the second call.
    const events = Array.from({ length: 23 }, (_, i) => ({ ...event, id: `e${i}` }));
    const bodies: { Entries: { Detail: string; TraceHeader?: string }[] }[] = [];
    const client = new EventBridgeClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      requestHandler: {
        handle: async (request: { body: string }) => {
          const body = JSON.parse(request.body);
          bodies.push(body);
          const entries = body.Entries.map((_: unknown, i: number) =>
            bodies.length === 2 && i === 1
              ? { ErrorCode: 'InternalFailure', ErrorMessage: 'x' }
              : { EventId: 'ok' },
          );
          return {
            response: {
              statusCode: 200,
              headers: { 'content-type': 'application/x-amz-json-1.1' },
              body: Readable.from([
                JSON.stringify({ FailedEntryCount: bodies.length === 2 ? 1 : 0, Entries: entries }),
              ]),
            },
          };
        },
      } as never,
    });
    // Act
    const refused = await new EventBridgePublisher(client, bus).publishAll(
      events.map((e) => ({ event: e, traceHeader: `Root=${e.id}` })),
    );
    // Assess
    expect(bodies.map((b) => b.Entries.length)).toEqual([10, 10, 3]);
    expect(bodies.flatMap((b) => b.Entries.map((e) => (JSON.parse(e.Detail) as { id: string }).id))).toEqual(
      events.map((e) => e.id),
    );
    expect(bodies[2]!.Entries[0]!.TraceHeader).toBe('Root=e20');
    expect(refused).toEqual([{ eventId: 'e11', reason: 'InternalFailure x' }]);
  });

  it('names every event of a call that failed outright', async () => {
    const client = new EventBridgeClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
      requestHandler: { handle: async () => Promise.reject(new Error('connection reset')) } as never,
    });
    const refused = await new EventBridgePublisher(client, bus).publishAll([
      { event: { ...event, id: 'x1' } },
      { event: { ...event, id: 'x2' } },
    ]);
    expect(refused.map((r) => r.eventId)).toEqual(['x1', 'x2']);
    expect(refused[0]!.reason).toMatch(/connection reset/);
  });
});
