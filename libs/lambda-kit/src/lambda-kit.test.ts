import type { APIGatewayProxyEvent, Context, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { marshall } from '@aws-sdk/util-dynamodb';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from '@order-platform/contracts/zod';
import { ConfigError, parseConfig } from './config';
import { ConflictError, fieldErrors } from './errors';
import { correlationIdOf, corsHeaders, groupsOf, httpHandler } from './http';
import { outboxPublisherHandler, OUTBOX_KIND } from './outbox-stream';
import { eventHandler } from './sqs';
import { canTrace, currentTraceHeader, SDK_LOGGER, traced } from './powertools';
import { newEvent } from '@order-platform/contracts';
import type { DomainEvent } from '@order-platform/contracts';

const context = { functionName: 'test', awsRequestId: 'req-1' } as unknown as Context;
const sample = JSON.parse(
  readFileSync(join(__dirname, '../../contracts/samples/order-placed.v1.json'), 'utf8'),
) as DomainEvent;

function apiEvent(over: Partial<APIGatewayProxyEvent> = {}): APIGatewayProxyEvent {
  return {
    body: null,
    headers: {},
    httpMethod: 'POST',
    path: '/things',
    pathParameters: null,
    queryStringParameters: null,
    isBase64Encoded: false,
    requestContext: {
      requestId: 'r-1',
      authorizer: { claims: { sub: 'u1', 'cognito:groups': 'customers' } },
    },
    ...over,
  } as APIGatewayProxyEvent;
}

describe('httpHandler', () => {
  const handler = httpHandler(
    {
      body: z.object({ name: z.string().check(z.minLength(1)), qty: z.int().check(z.positive()) }),
      auth: 'any',
    },
    async ({ body, principal }) => {
      if (body.name === 'dup') throw new ConflictError('Already there');
      return { status: 201, body: { ...body, owner: principal!.sub } };
    },
  );

  it('passes a valid body and the caller to the function', async () => {
    // Act
    const res = await handler(apiEvent({ body: JSON.stringify({ name: 'a', qty: 2 }) }), context);
    // Assess
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ name: 'a', qty: 2, owner: 'u1' });
    expect(res.headers!['x-correlation-id']).toBe('r-1');
  });

  it('answers 400 problem+json naming each bad field', async () => {
    // Act
    const res = await handler(apiEvent({ body: JSON.stringify({ name: '', qty: 1.5 }) }), context);
    // Assess
    expect(res.statusCode).toBe(400);
    expect(res.headers!['Content-Type']).toBe('application/problem+json');
    const fields = JSON.parse(res.body).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(['body.name', 'body.qty']);
  });

  it('names an allowed browser origin in CORS headers, and no other', () => {
    // Prepare
    const allowed = new Set(['https://shop.example.com']);
    // Act + Assess
    expect(corsHeaders('https://shop.example.com', allowed)).toEqual({
      'Access-Control-Allow-Origin': 'https://shop.example.com',
      Vary: 'Origin',
    });
    expect(corsHeaders('https://evil.example.com', allowed)).toEqual({ Vary: 'Origin' });
    expect(corsHeaders(undefined, allowed)).toEqual({ Vary: 'Origin' });
    expect(corsHeaders('https://shop.example.com', new Set())).toEqual({});
  });

  it("takes the caller's e-mail only when Cognito says it is verified", async () => {
    // Prepare
    const seen: (string | undefined)[] = [];
    const who = httpHandler({ auth: 'any' }, async ({ principal }) => {
      seen.push(principal!.email);
      return { status: 200 };
    });
    const claims = (extra: Record<string, unknown>) =>
      apiEvent({
        requestContext: {
          requestId: 'r',
          authorizer: { claims: { sub: 'u1', email: 'a@example.com', ...extra } },
        },
      } as never);
    // Act
    await who(claims({ email_verified: 'true' }), context);
    await who(claims({ email_verified: 'false' }), context);
    await who(claims({}), context);
    // Assess
    expect(seen).toEqual(['a@example.com', undefined, undefined]);
  });

  it("takes the caller's x-correlation-id only when it is a short id", async () => {
    // Act
    const short = await handler(
      apiEvent({ body: JSON.stringify({ name: 'a', qty: 1 }), headers: { 'x-correlation-id': 'abc-123' } }),
      context,
    );
    const long = await handler(
      apiEvent({
        body: JSON.stringify({ name: 'a', qty: 1 }),
        headers: { 'x-correlation-id': `<script>${'x'.repeat(100)}` },
      }),
      context,
    );
    // Assess
    expect(short.headers!['x-correlation-id']).toBe('abc-123');
    expect(long.headers!['x-correlation-id']).toBe('r-1');
    expect(correlationIdOf('a b', undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(correlationIdOf('6f1c2a4e-3b1d-4e8f-9a0b-1c2d3e4f5a6b', 'r')).toBe(
      '6f1c2a4e-3b1d-4e8f-9a0b-1c2d3e4f5a6b',
    );
  });

  it('names a field the request may not carry', async () => {
    // Prepare
    const strict = httpHandler(
      { body: z.strictObject({ price: z.number(), currency: z.optional(z.literal('BRL')) }) },
      async ({ body }) => ({ status: 201, body }),
    );
    // Act
    const extra = await strict(apiEvent({ body: JSON.stringify({ price: 1, colour: 'red' }) }), context);
    const usd = await strict(apiEvent({ body: JSON.stringify({ price: 1, currency: 'USD' }) }), context);
    // Assess
    expect(extra.statusCode).toBe(400);
    expect(JSON.parse(extra.body).errors).toEqual([
      { field: 'body.colour', message: 'not a field of this request' },
    ]);
    expect(usd.statusCode).toBe(400);
    expect(JSON.parse(usd.body).errors[0].field).toBe('body.currency');
  });

  it('names one bound per field, the stricter, and each field once', async () => {
    // Prepare
    const paged = httpHandler(
      { query: z.object({ limit: z.coerce.number().check(z.int(), z.gte(1), z.lte(100)) }) },
      async ({ query }) => ({ status: 200, body: query }),
    );
    // Act
    const huge = await paged(apiEvent({ queryStringParameters: { limit: '1e21' } }), context);
    const negative = await paged(apiEvent({ queryStringParameters: { limit: '-1e21' } }), context);
    const half = await paged(apiEvent({ queryStringParameters: { limit: '0.5' } }), context);
    // Assess
    expect(huge.statusCode).toBe(400);
    expect(JSON.parse(huge.body)).toMatchObject({
      detail: 'Invalid query: query.limit',
      errors: [{ field: 'query.limit', message: 'Too big: expected number to be <=100' }],
    });
    expect(JSON.parse(negative.body).errors).toEqual([
      { field: 'query.limit', message: 'Too small: expected number to be >=1' },
    ]);
    expect(JSON.parse(half.body).errors).toEqual([
      { field: 'query.limit', message: 'Invalid input: expected int, received number' },
    ]);
    // Two different refusals of one field are both named.
    const code = z.string().check(z.minLength(3), z.regex(/^[a-z]+$/));
    expect(fieldErrors(code.safeParse('A').error!, 'body.code').map((e) => e.message)).toHaveLength(2);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await handler(apiEvent({ body: '{nope' }), context);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).errors[0].field).toBe('body');
  });

  it('answers 401 without claims and 403 outside the required group', async () => {
    // Prepare
    const adminOnly = httpHandler({ auth: ['admins'] }, async () => ({ status: 204 }));
    // Act
    const anonymous = await handler(apiEvent({ requestContext: {} as never }), context);
    const customer = await adminOnly(apiEvent(), context);
    // Assess
    expect(anonymous.statusCode).toBe(401);
    expect(customer.statusCode).toBe(403);
  });

  it('maps domain HTTP errors and hides unexpected ones behind a 500', async () => {
    // Prepare
    const boom = httpHandler({}, async () => {
      throw new Error('secret detail');
    });
    // Act
    const conflict = await handler(apiEvent({ body: JSON.stringify({ name: 'dup', qty: 1 }) }), context);
    const crash = await boom(apiEvent(), context);
    // Assess
    expect(conflict.statusCode).toBe(409);
    expect(crash.statusCode).toBe(500);
    expect(crash.body).not.toContain('secret detail');
  });

  it('reads the groups claim in each shape API Gateway uses', () => {
    expect(groupsOf('[admins customers]')).toEqual(['admins', 'customers']);
    expect(groupsOf('admins,customers')).toEqual(['admins', 'customers']);
    expect(groupsOf(['admins'])).toEqual(['admins']);
    expect(groupsOf(undefined)).toEqual([]);
  });
});

describe('eventHandler', () => {
  it('in parallel mode, lets one slow record wait without holding the others back', async () => {
    // Prepare: the first record (a slow partner) can only finish once the second one has finished.
    const slowWaitsForFast = () => {
      let fastDone!: () => void;
      const fastFinished = new Promise<void>((r) => (fastDone = r));
      return async (event: DomainEvent) => {
        if (event.id === 'slow') {
          const gaveUp = new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error('held back')), 500),
          );
          await Promise.race([fastFinished, gaveUp]);
        } else fastDone();
      };
    };
    const batch = {
      Records: [
        { messageId: 'm-slow', body: JSON.stringify({ ...sample, id: 'slow' }) },
        { messageId: 'm-fast', body: JSON.stringify({ ...sample, id: 'fast' }) },
      ],
    } as unknown as SQSEvent;
    // Act
    const parallel = await eventHandler(slowWaitsForFast(), { parallel: true })(batch, context);
    const sequential = await eventHandler(slowWaitsForFast())(batch, context);
    // Assess
    expect(parallel.batchItemFailures).toEqual([]);
    expect(sequential.batchItemFailures).toEqual([{ itemIdentifier: 'm-slow' }]);
  });

  it("makes each record's changes in the trace its message came with, not the batch's first", async () => {
    // Prepare: Lambda runs the batch in the first record's trace; each message carries its own.
    const headers = ['Root=1-a;Parent=p1;Sampled=1', 'Root=1-b;Parent=p2;Sampled=1', undefined];
    const batch = {
      Records: headers.map((h, i) => ({
        messageId: `m${i}`,
        body: JSON.stringify({ ...sample, id: `e${i}` }),
        attributes: h ? { AWSTraceHeader: h } : {},
      })),
    } as unknown as SQSEvent;
    const saved = process.env['_X_AMZN_TRACE_ID'];
    process.env['_X_AMZN_TRACE_ID'] = headers[0];
    try {
      for (const parallel of [false, true]) {
        const seen: Record<string, string | undefined> = {};
        // Act
        await eventHandler(
          async (event) => {
            await new Promise((r) => setTimeout(r, event.id === 'e0' ? 20 : 1));
            seen[event.id] = currentTraceHeader();
          },
          { parallel },
        )(batch, context);
        // Assess: a record without a header stays in the invocation's trace.
        expect({ parallel, seen }).toEqual({
          parallel,
          seen: { e0: headers[0], e1: headers[1], e2: headers[0] },
        });
      }
      expect(currentTraceHeader()).toBe(headers[0]);
    } finally {
      if (saved === undefined) delete process.env['_X_AMZN_TRACE_ID'];
      else process.env['_X_AMZN_TRACE_ID'] = saved;
    }
  });

  it('hands each failed record to onFailure (to retry it sooner), and survives onFailure failing', async () => {
    // Prepare
    const scheduled: string[] = [];
    const handler = eventHandler(
      async (event) => {
        if (event.id !== 'ok') throw new Error('downstream');
      },
      {
        onFailure: async (record) => {
          scheduled.push(record.messageId);
          if (record.messageId === 'm3') throw new Error('SQS unreachable');
        },
      },
    );
    const batch = {
      Records: ['ok', 'bad', 'worse'].map((id, i) => ({
        messageId: `m${i + 1}`,
        body: JSON.stringify({ ...sample, id }),
      })),
    } as unknown as SQSEvent;
    // Act
    const res = await handler(batch, context);
    // Assess
    expect(scheduled).toEqual(['m2', 'm3']);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }]);
  });

  it('leaves the records it has no time for to a later delivery instead of timing out with the whole batch', async () => {
    // Prepare: a 20 s invocation whose records take 6 s each (a saturated table, say).
    let now = 0;
    const timed = { ...context, getRemainingTimeInMillis: () => 20_000 - now } as Context;
    const done: string[] = [];
    const retried: string[] = [];
    const handler = eventHandler(
      async (event) => {
        now += 6_000;
        done.push(event.id);
      },
      { onFailure: async (record) => void retried.push(record.messageId) },
    );
    const batch = {
      Records: ['a', 'b', 'c', 'd'].map((id, i) => ({
        messageId: `m${i + 1}`,
        body: JSON.stringify({ ...sample, id }),
      })),
    } as unknown as SQSEvent;
    // Act
    const res = await handler(batch, timed);
    // Assess: three records start with more than the 5 s reserve left; the fourth, which would have run
    // past the timeout (2 s left), comes back soon instead, and the three done ones are not delivered again.
    expect(done).toEqual(['a', 'b', 'c']);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'm4' }]);
    expect(retried).toEqual(['m4']);
  });

  it('reports only the failed and the invalid records as batch failures', async () => {
    // Prepare
    const seen: string[] = [];
    const handler = eventHandler(async (event) => {
      if (event.data && (event.data as { orderId: string }).orderId === 'boom') throw new Error('downstream');
      seen.push(event.id);
    });
    const ok = { ...sample, id: 'e-ok' };
    const failing = { ...sample, id: 'e-fail', data: { ...sample.data, orderId: 'boom' } };
    const snsWrapped = { Type: 'Notification', Message: JSON.stringify({ ...sample, id: 'e-wrapped' }) };
    const sqsEvent = {
      Records: [
        { messageId: 'm1', body: JSON.stringify(ok) },
        { messageId: 'm2', body: JSON.stringify(failing) },
        { messageId: 'm3', body: JSON.stringify({ type: 'Nope', version: 1 }) },
        { messageId: 'm4', body: JSON.stringify(snsWrapped) },
      ].map((r) => ({ ...r, eventSource: 'aws:sqs', attributes: {}, messageAttributes: {} })),
    } as unknown as SQSEvent;
    // Act
    const res = await handler(sqsEvent, context);
    // Assess
    expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m2', 'm3']);
    expect(seen.sort()).toEqual(['e-ok', 'e-wrapped']);
  });
});

describe('eventHandler logs', () => {
  it('names the event in every line its handling logs, with no line of its own to say it arrived', async () => {
    // Prepare: everything the logger writes, to either stream.
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    };
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    // A fresh logger at INFO, as the functions run (the tests' logger is kept quiet).
    let isolated!: typeof import('./sqs');
    const quiet = process.env['POWERTOOLS_LOG_LEVEL'];
    process.env['POWERTOOLS_LOG_LEVEL'] = 'INFO';
    jest.isolateModules(() => (isolated = jest.requireActual('./sqs')));
    process.env['POWERTOOLS_LOG_LEVEL'] = quiet;
    const handler = isolated.eventHandler(async (event) => {
      if (event.id === 'e-logged') throw new Error('downstream');
    });
    const sqsEvent = {
      Records: [
        { messageId: 'm1', body: JSON.stringify({ ...sample, id: 'e-logged' }) },
        { messageId: 'm2', body: JSON.stringify({ ...sample, id: 'e-fine' }) },
      ].map((r) => ({
        ...r,
        eventSource: 'aws:sqs',
        attributes: {},
        messageAttributes: {},
      })),
    } as unknown as SQSEvent;
    // Act
    try {
      await handler(sqsEvent, context);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    // Assess
    const logged = lines
      .filter((l) => l.startsWith('{"level"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.map((l) => l['message'])).not.toContain('Event received');
    const failed = logged.find((l) => l['message'] === 'Record failed');
    expect(failed).toMatchObject({ eventType: sample.type, eventId: 'e-logged', messageId: 'm1' });
  });
});

describe('outboxPublisherHandler', () => {
  it('publishes inserted outbox records only, marks them published, and reports a failed publish', async () => {
    // Prepare
    const published: string[] = [];
    const marked: string[] = [];
    const traces: (string | undefined)[] = [];
    const handler = outboxPublisherHandler(() => ({
      publisher: {
        publish: async (e, options) => {
          if (e.id === 'e-fail') throw new Error('sns down');
          published.push(e.id);
          traces.push(options?.traceHeader);
        },
      },
      marker: {
        markAllPublished: async (records) => {
          marked.push(...records.map((r) => (r['event'] as { id: string }).id));
          return [];
        },
      },
    }));
    const image = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true });
    const record = (seq: string, eventName: string, item: Record<string, unknown>) => ({
      eventID: seq,
      eventName,
      eventSource: 'aws:dynamodb',
      dynamodb: { SequenceNumber: seq, NewImage: image(item) },
    });
    const streamEvent = {
      Records: [
        record('1', 'INSERT', {
          pk: 'OUTBOX#a',
          kind: OUTBOX_KIND,
          event: { ...sample, id: 'e-1' },
          traceHeader: 'Root=1-6b159355-b5f13f943e4b8ce29a174bac;Parent=b8c23355e16e4519;Sampled=1',
        }),
        record('2', 'INSERT', { pk: 'ORDER#1', kind: 'order' }),
        record('3', 'MODIFY', { pk: 'OUTBOX#b', kind: OUTBOX_KIND, event: { ...sample, id: 'e-modified' } }),
        record('4', 'INSERT', { pk: 'OUTBOX#c', kind: OUTBOX_KIND, event: { ...sample, id: 'e-fail' } }),
      ],
    } as unknown as DynamoDBStreamEvent;
    // Act
    const res = await handler(streamEvent, context);
    // Assess
    expect(published).toEqual(['e-1']);
    // The trace the event was written in goes on with it.
    expect(traces).toEqual(['Root=1-6b159355-b5f13f943e4b8ce29a174bac;Parent=b8c23355e16e4519;Sampled=1']);
    expect(marked).toEqual(['e-1']);
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: '4' }]);
  });

  it("publishes different orders' events side by side, one order's in stream order, and stops an order at its first failure", async () => {
    // Prepare: order A's first publish is slow, then its second fails; order B's are quick.
    const log: string[] = [];
    const handler = outboxPublisherHandler(() => ({
      publisher: {
        publish: async (e) => {
          log.push(`start ${e.id}`);
          if (e.id === 'a1') await new Promise((r) => setTimeout(r, 30));
          if (e.id === 'a2') throw new Error('throttled');
          log.push(`done ${e.id}`);
        },
      },
    }));
    const event = (id: string, orderId: string) =>
      ({ ...sample, id, data: { ...sample.data, orderId } }) as DomainEvent;
    const record = (seq: string, e: DomainEvent) => ({
      eventID: seq,
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        SequenceNumber: seq,
        NewImage: marshall({ pk: `OUTBOX#${e.id}`, kind: OUTBOX_KIND, event: e }),
      },
    });
    const streamEvent = {
      Records: [
        record('1', event('a1', 'A')),
        record('2', event('b1', 'B')),
        record('3', event('a2', 'A')),
        record('4', event('b2', 'B')),
        record('5', event('a3', 'A')),
      ],
    } as unknown as DynamoDBStreamEvent;
    // Act
    const res = await handler(streamEvent, context);
    // Assess: B did not wait for A's slow publish; A kept its order and a3 was never attempted.
    expect(log.indexOf('done b2')).toBeLessThan(log.indexOf('done a1'));
    expect(log.filter((l) => / a\d/.test(l))).toEqual(['start a1', 'done a1', 'start a2']);
    expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['3', '5']);
  });

  describe('after the topic', () => {
    const event = (id: string, orderId: string) =>
      ({ ...sample, id, data: { ...sample.data, orderId } }) as DomainEvent;
    const record = (seq: string, e: DomainEvent, extra: Record<string, unknown> = {}) => ({
      eventID: seq,
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        SequenceNumber: seq,
        NewImage: marshall({ pk: `OUTBOX#${e.id}`, kind: OUTBOX_KIND, event: e, ...extra }),
      },
    });
    const batch = (...records: ReturnType<typeof record>[]) =>
      ({ Records: records }) as unknown as DynamoDBStreamEvent;
    /** A wiring that records every call: the topic's publishes, the bus's and the marker's batches. */
    const wiring = (
      opts: { busRefuses?: string[]; busThrows?: boolean; unmarked?: string[]; markThrows?: boolean } = {},
    ) => {
      const calls = { topic: [] as string[], bus: [] as string[][], marks: [] as string[][] };
      const traces: (string | undefined)[] = [];
      const handler = outboxPublisherHandler(() => ({
        publisher: { publish: async (e) => void calls.topic.push(e.id) },
        bus: {
          publishAll: async (entries) => {
            if (opts.busThrows) throw new Error('EventBridge unreachable');
            calls.bus.push(entries.map((x) => x.event.id));
            traces.push(...entries.map((x) => x.traceHeader));
            return (opts.busRefuses ?? []).map((eventId) => ({ eventId, reason: 'InternalFailure' }));
          },
        },
        marker: {
          markAllPublished: async (records) => {
            if (opts.markThrows) throw new Error('DynamoDB unreachable');
            calls.marks.push(records.map((r) => (r['event'] as { id: string }).id));
            return opts.unmarked ?? [];
          },
        },
      }));
      return { handler, calls, traces };
    };

    it('puts the batch on the bus and marks it in one call each, in stream order, traces kept', async () => {
      // Prepare
      const { handler, calls, traces } = wiring();
      // Act
      const res = await handler(
        batch(
          record('1', event('a1', 'A'), { traceHeader: 'Root=1-a' }),
          record('2', event('b1', 'B')),
          record('3', event('a2', 'A'), { traceHeader: 'Root=1-a2' }),
        ),
        context,
      );
      // Assess
      expect(res.batchItemFailures).toEqual([]);
      expect(calls.bus).toEqual([['a1', 'b1', 'a2']]);
      expect(traces).toEqual(['Root=1-a', undefined, 'Root=1-a2']);
      expect(calls.marks).toEqual([['a1', 'b1', 'a2']]);
    });

    it("retries an event the bus refused with its order's later events, and marks only the rest", async () => {
      const { handler, calls } = wiring({ busRefuses: ['a1'] });
      const res = await handler(
        batch(record('1', event('a1', 'A')), record('2', event('b1', 'B')), record('3', event('a2', 'A'))),
        context,
      );
      expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['1', '3']);
      expect(calls.marks).toEqual([['b1']]);
      const unreachable = wiring({ busThrows: true });
      const all = await unreachable.handler(
        batch(record('1', event('a1', 'A')), record('2', event('b1', 'B'))),
        context,
      );
      expect(all.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['1', '2']);
      expect(unreachable.calls.marks).toEqual([]);
    });

    it('retries what could not be marked, and everything when marking fails outright', async () => {
      const partly = wiring({ unmarked: ['b1'] });
      const res = await partly.handler(
        batch(record('1', event('a1', 'A')), record('2', event('b1', 'B'))),
        context,
      );
      expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['2']);
      const broken = wiring({ markThrows: true });
      const all = await broken.handler(
        batch(record('1', event('a1', 'A')), record('2', event('b1', 'B'))),
        context,
      );
      expect(all.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['1', '2']);
    });

    it('leaves alone a record inserted already marked (written back after its TTL removed it)', async () => {
      const { handler, calls } = wiring();
      const res = await handler(
        batch(record('1', event('a1', 'A'), { publishedAt: '2026-12-01T00:00:00.000Z' })),
        context,
      );
      expect(res.batchItemFailures).toEqual([]);
      expect(calls).toEqual({ topic: [], bus: [], marks: [] });
    });
  });
});

describe('parseConfig', () => {
  it('names every missing variable', () => {
    // Prepare
    const schema = z.object({
      TABLE_NAME: z.string().check(z.minLength(1)),
      TOPIC_ARN: z.string().check(z.minLength(1)),
    });
    // Act + Assess
    expect(() => parseConfig(schema, { TABLE_NAME: 't' })).toThrow(new ConfigError(['TOPIC_ARN']));
    expect(parseConfig(schema, { TABLE_NAME: 't', TOPIC_ARN: 'arn' })).toEqual({
      TABLE_NAME: 't',
      TOPIC_ARN: 'arn',
    });
  });
});

describe('newEvent', () => {
  it('builds a valid envelope of the latest version that carries the correlation id', () => {
    // Act
    const event = newEvent(
      'OrderRejected',
      'pedidos',
      { orderId: 'o1', customerId: 'c1', reason: 'Out of stock' },
      { correlationId: 'corr-1', causationId: 'e-0' },
    );
    // Assess
    expect(event).toMatchObject({
      type: 'OrderRejected',
      version: 1,
      correlationId: 'corr-1',
      causationId: 'e-0',
    });
    expect(() =>
      newEvent(
        'OrderRejected',
        'pedidos',
        { orderId: '', customerId: 'c', reason: 'r' },
        { correlationId: 'c' },
      ),
    ).toThrow();
  });
});

describe('the Tracer', () => {
  const LAMBDA = 'AWS_Lambda_nodejs22.x';
  /** Loads powertools.ts afresh with these variables; whether the Tracer module was loaded. */
  function load(env: { POWERTOOLS_TRACE_ENABLED?: string; AWS_EXECUTION_ENV?: string }): {
    tracerLoaded: boolean;
    kit: typeof import('./powertools');
  } {
    const names = ['POWERTOOLS_TRACE_ENABLED', 'AWS_EXECUTION_ENV'] as const;
    const saved = names.map((n) => process.env[n]);
    let tracerLoaded = false;
    let kit!: typeof import('./powertools');
    for (const n of names) {
      if (env[n] === undefined) delete process.env[n];
      else process.env[n] = env[n];
    }
    try {
      jest.isolateModules(() => {
        jest.doMock('@aws-lambda-powertools/tracer', () => {
          tracerLoaded = true;
          return jest.requireActual('@aws-lambda-powertools/tracer');
        });
        kit = jest.requireActual('./powertools');
      });
    } finally {
      names.forEach((n, i) => {
        if (saved[i] === undefined) delete process.env[n];
        else process.env[n] = saved[i];
      });
      jest.dontMock('@aws-lambda-powertools/tracer');
    }
    return { tracerLoaded, kit };
  }

  it('is not even loaded where tracing is off: its X-Ray SDK would hook every promise', async () => {
    const { tracerLoaded, kit } = load({ POWERTOOLS_TRACE_ENABLED: 'FALSE', AWS_EXECUTION_ENV: LAMBDA });
    expect(tracerLoaded).toBe(false);
    const client = { send: () => 'sent' };
    expect(kit.traced(client)).toBe(client);
    kit.withCorrelation('order-1');
    await expect(kit.instrumented(async (e: number) => e + 1)(1, context)).resolves.toBe(2);
  });

  it('is not loaded outside a function either (a script, a test, the bench with the local cloud in it)', () => {
    expect(load({}).tracerLoaded).toBe(false);
    expect(load({ POWERTOOLS_TRACE_ENABLED: 'true' }).tracerLoaded).toBe(false);
  });

  it('is loaded in a function where tracing is on, as Powertools reads the setting (on unless "false")', () => {
    expect(load({ AWS_EXECUTION_ENV: LAMBDA }).tracerLoaded).toBe(true);
    expect(load({ POWERTOOLS_TRACE_ENABLED: 'true', AWS_EXECUTION_ENV: LAMBDA }).tracerLoaded).toBe(true);
  });

  it("follows the rest of Powertools' rule: not under SAM local or the Amplify mock", () => {
    expect(canTrace({ AWS_EXECUTION_ENV: LAMBDA })).toBe(true);
    expect(canTrace({ AWS_EXECUTION_ENV: LAMBDA, AWS_SAM_LOCAL: 'true' })).toBe(false);
    expect(canTrace({ AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' })).toBe(false);
  });
});

describe('traced', () => {
  it("keeps the SDK from building log lines nobody reads: each call's input is walked only to be sent", async () => {
    // Prepare: two clients answering from memory, one taken through traced(); an input that counts reads.
    const { DynamoDBClient, GetItemCommand } = await import('@aws-sdk/client-dynamodb');
    const { Readable } = await import('node:stream');
    const client = () =>
      new DynamoDBClient({
        region: 'us-east-1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
        requestHandler: {
          handle: async () => ({
            response: {
              statusCode: 200,
              headers: { 'content-type': 'application/x-amz-json-1.0' },
              body: Readable.from(['{"Item":{"pk":{"S":"a"}}}']),
            },
          }),
        } as never,
      });
    const readsOfKey = async (c: InstanceType<typeof DynamoDBClient>) => {
      let reads = 0;
      const input = { TableName: 't' } as { TableName: string; Key?: unknown };
      Object.defineProperty(input, 'Key', {
        enumerable: true,
        get: () => {
          reads += 1;
          return { pk: { S: 'a' } };
        },
      });
      const out = await c.send(new GetItemCommand(input as never));
      expect(out.Item).toEqual({ pk: { S: 'a' } });
      return reads;
    };
    // Act
    const plain = await readsOfKey(client());
    const quiet = await readsOfKey(traced(client()));
    // Assess
    expect(quiet).toBeLessThan(plain);
    expect(traced(client()).config.logger).toBe(SDK_LOGGER);
  });
});
