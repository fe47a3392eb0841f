import { SNSClient } from '@aws-sdk/client-sns';
import { newEvent } from '@order-platform/contracts';
import { Readable } from 'node:stream';
import { SnsEventPublisher } from './sns-event-publisher';

/** An SNS client whose HTTP handler records each request and answers as SNS does. */
function recordingClient(headers: Record<string, string>[], bodies: string[] = []): SNSClient {
  return new SNSClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    requestHandler: {
      handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
        headers.push(request.headers);
        bodies.push(String(request.body ?? ''));
        const body =
          '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult>' +
          '<MessageId>m-1</MessageId></PublishResult></PublishResponse>';
        return {
          response: { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: Readable.from([body]) },
        };
      },
    } as never,
  });
}

describe('SnsEventPublisher', () => {
  const event = newEvent(
    'OrderRejected',
    'pedidos',
    { orderId: 'o1', customerId: 'c1', reason: 'x' },
    {
      correlationId: 'c',
    },
  );

  it("sends the event's trace header with the publish, so SNS carries the trace on", async () => {
    const headers: Record<string, string>[] = [];
    const header = 'Root=1-6b159355-b5f13f943e4b8ce29a174bac;Parent=b8c23355e16e4519;Sampled=1';
    await new SnsEventPublisher(recordingClient(headers), 'arn:aws:sns:us-east-1:1:t').publish(event, {
      traceHeader: header,
    });
    expect(headers[0]!['X-Amzn-Trace-Id']).toBe(header);
  });

  it("puts an order's channel in a message attribute, for subscriptions of one channel, and none without one", async () => {
    // Prepare
    const bodies: string[] = [];
    const publisher = new SnsEventPublisher(recordingClient([], bodies), 'arn:aws:sns:us-east-1:1:t');
    const partner = newEvent(
      'OrderRejected',
      'pedidos',
      { orderId: 'o2', customerId: 'c1', reason: 'x', channel: 'partner' },
      { correlationId: 'c' },
    );
    // Act
    await publisher.publish(partner);
    await publisher.publish(event);
    // Assess
    const attributes = (body: string) =>
      Object.fromEntries(
        [...new URLSearchParams(body)]
          .filter(([k]) => /^MessageAttributes\.entry\.\d+\.(Name|Value\.StringValue)$/.test(k))
          .reduce<[string, string][]>((pairs, [k, v]) => {
            if (k.endsWith('.Name')) pairs.push([v, '']);
            else pairs[pairs.length - 1]![1] = v;
            return pairs;
          }, []),
      );
    expect(attributes(bodies[0]!)).toMatchObject({ type: 'OrderRejected', channel: 'partner' });
    expect(attributes(bodies[1]!)).not.toHaveProperty('channel');
  });

  it('sends none of its own without one', async () => {
    const headers: Record<string, string>[] = [];
    await new SnsEventPublisher(recordingClient(headers), 'arn:aws:sns:us-east-1:1:t').publish(event);
    expect(headers).toHaveLength(1);
    expect(headers[0]).not.toHaveProperty('X-Amzn-Trace-Id');
  });
});
