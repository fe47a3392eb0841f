import { newEvent } from '@order-platform/contracts';
import { inRecordScope } from '@order-platform/lambda-kit';
import { DynamoDbRepository, OUTBOX_TTL_SECONDS, outboxPut } from './dynamodb-repository';

describe('outboxPut', () => {
  it('records the event once, marked for the stream filter, with a TTL a week out', () => {
    // Prepare
    const event = newEvent(
      'OrderRejected',
      'pedidos',
      { orderId: 'o1', customerId: 'c1', reason: 'Out of stock' },
      { correlationId: 'c' },
    );
    const now = Date.parse('2026-11-22T12:00:00Z');
    // Act
    const op = outboxPut('orders', event, now);
    // Assess
    expect(op.Put).toEqual({
      TableName: 'orders',
      Item: {
        pk: `OUTBOX#${event.id}`,
        sk: 'OUTBOX',
        kind: 'outbox',
        eventType: 'OrderRejected',
        event,
        expiresAt: now / 1000 + OUTBOX_TTL_SECONDS,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('keeps the trace the change was made in, for the publisher to carry on', () => {
    const event = newEvent(
      'OrderRejected',
      'pedidos',
      { orderId: 'o1', customerId: 'c1', reason: 'x' },
      {
        correlationId: 'c',
      },
    );
    const header = 'Root=1-6b159355-b5f13f943e4b8ce29a174bac;Parent=b8c23355e16e4519;Sampled=1';
    expect(outboxPut('orders', event, Date.now(), header).Put!.Item!['traceHeader']).toBe(header);
    expect(outboxPut('orders', event, Date.now(), undefined).Put!.Item).not.toHaveProperty('traceHeader');
  });

  it("takes, by default, the trace of the batch record being handled, else the invocation's", async () => {
    const event = newEvent(
      'OrderRejected',
      'pedidos',
      { orderId: 'o1', customerId: 'c1', reason: 'x' },
      {
        correlationId: 'c',
      },
    );
    const saved = process.env['_X_AMZN_TRACE_ID'];
    process.env['_X_AMZN_TRACE_ID'] = 'Root=1-invocation;Parent=p;Sampled=1';
    try {
      const inRecord = await inRecordScope('Root=1-record;Parent=q;Sampled=1', true, async () =>
        outboxPut('orders', event),
      );
      expect(inRecord.Put!.Item!['traceHeader']).toBe('Root=1-record;Parent=q;Sampled=1');
      expect(outboxPut('orders', event).Put!.Item!['traceHeader']).toBe(
        'Root=1-invocation;Parent=p;Sampled=1',
      );
    } finally {
      if (saved === undefined) delete process.env['_X_AMZN_TRACE_ID'];
      else process.env['_X_AMZN_TRACE_ID'] = saved;
    }
  });
});

describe('DynamoDbRepository.batchGet', () => {
  class Reader extends DynamoDbRepository {
    read(keys: { pk: string; sk: string }[], consistent?: boolean) {
      return this.batchGet<{ pk: string; sk: string; n: number }>(keys, consistent);
    }
  }
  const key = (n: number) => ({ pk: `P#${n}`, sk: 'P' });

  it('asks again for the keys DynamoDB left unprocessed (throttling) and answers in key order, missing ones left out', async () => {
    // Prepare: a client that leaves one key unprocessed on the first call, and has no item for key 3.
    const sent: { Keys: unknown[]; ConsistentRead?: boolean }[] = [];
    const client = {
      send: async (command: { input: { RequestItems: Record<string, { Keys: { pk: string }[] }> } }) => {
        const asked = command.input.RequestItems['t']!;
        sent.push(asked);
        const found = asked.Keys.filter((k) => k.pk !== 'P#3').map((k) => ({ ...k, sk: 'P', n: 1 }));
        return sent.length === 1
          ? { Responses: { t: found.slice(1) }, UnprocessedKeys: { t: { Keys: [asked.Keys[0]] } } }
          : { Responses: { t: found } };
      },
    };
    const reader = new Reader(client as never, 't');
    // Act
    const items = await reader.read([key(1), key(2), key(3)]);
    // Assess
    expect(items.map((i) => i.pk)).toEqual(['P#1', 'P#2']);
    expect(sent.map((s) => s.Keys)).toEqual([[key(1), key(2), key(3)], [key(1)]]);
    expect(sent.every((s) => s.ConsistentRead === undefined)).toBe(true);
  });

  it('reads strongly consistent when asked, on every attempt', async () => {
    const sent: { ConsistentRead?: boolean }[] = [];
    const client = {
      send: async (command: { input: { RequestItems: Record<string, { ConsistentRead?: boolean }> } }) => {
        sent.push(command.input.RequestItems['t']!);
        return sent.length === 1
          ? { Responses: { t: [] }, UnprocessedKeys: { t: { Keys: [key(1)] } } }
          : { Responses: { t: [{ ...key(1), n: 1 }] } };
      },
    };
    const items = await new Reader(client as never, 't').read([key(1)], true);
    expect(items).toEqual([{ ...key(1), n: 1 }]);
    expect(sent.map((s) => s.ConsistentRead)).toEqual([true, true]);
  });
});
