// The outbox replay tool against DynamoDB Local and the SQS/SNS emulator, through the real SDK clients.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbOutbox, DynamoDbRepository } from '@order-platform/aws-adapters';
import { newEvent } from '@order-platform/contracts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localEmulators } from '@order-platform/testing/emulators';
import { CREDENTIALS } from '@order-platform/local-cloud';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { replayOutbox, targetOf } from './outbox-replay';

let cloud: Awaited<ReturnType<typeof localEmulators>>;
beforeAll(async () => {
  cloud = await localEmulators(['dynamodb', 'sqs']);
}, 90000);
afterAll(() => cloud?.stop());

const rejected = (orderId: string, at: Date) =>
  newEvent('OrderRejected', 'pedidos', { orderId, customerId: 'c', reason: 'r' }, { correlationId: 'c' }, at);

describe('outbox replay', () => {
  it('republishes the records never marked published, older than the cut-off, and marks them', async () => {
    // Prepare
    const table = await cloud.newTable();
    const common = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: cloud.endpoints.sqs };
    const sns = new SNSClient(common);
    const sqs = new SQSClient(common);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'pedidos-events' }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'consumer' }));
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: `arn:aws:sqs:${LOCAL_REGION}:000000000000:consumer`,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const repo = new DynamoDbRepository(cloud.doc, table);
    const old = new Date(Date.now() - 10 * 60_000);
    const stranded = rejected('o-stranded', old);
    const other = rejected('o-other', old);
    const published = rejected('o-published', old);
    const fresh = rejected('o-fresh', new Date());
    await repo.transactWithOutbox([], [stranded, other, published, fresh]);
    await new DynamoDbOutbox(cloud.doc, table).markPublished(published.id);
    // The stage's bus, as EventBridge answers PutEvents (no emulator for it here): every entry taken.
    const onBus: { id: string; bus: string }[] = [];
    const eventbridge = new EventBridgeClient({
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      requestHandler: {
        handle: async (request: { body: string }) => {
          const { Entries } = JSON.parse(request.body) as {
            Entries: { Detail: string; EventBusName: string }[];
          };
          onBus.push(
            ...Entries.map((e) => ({ id: (JSON.parse(e.Detail) as { id: string }).id, bus: e.EventBusName })),
          );
          return {
            response: {
              statusCode: 200,
              headers: { 'content-type': 'application/x-amz-json-1.1' },
              body: Readable.from([
                JSON.stringify({ FailedEntryCount: 0, Entries: Entries.map(() => ({ EventId: 'x' })) }),
              ]),
            },
          };
        },
      } as never,
    });
    const busArn = 'arn:aws:events:us-east-1:000000000000:event-bus/order-platform-t';
    const target = {
      dynamodb: cloud.raw,
      sns,
      eventbridge,
      parameter: async (name: string) =>
        ({
          '/order-platform/t/pedidos/table-name': table,
          '/order-platform/t/pedidos/topic-arn': TopicArn,
          '/order-platform/t/platform/event-bus-arn': busArn,
        })[name],
    };
    const quiet = () => undefined;
    // Act
    const dry = await replayOutbox(target, {
      stage: 't',
      services: ['pedidos'],
      olderThanSeconds: 60,
      dryRun: true,
      log: quiet,
    });
    const one = await replayOutbox(target, {
      stage: 't',
      services: ['pedidos'],
      olderThanSeconds: 60,
      orderId: 'o-stranded',
      dryRun: false,
      log: quiet,
    });
    const rest = await replayOutbox(target, {
      stage: 't',
      services: ['pedidos'],
      olderThanSeconds: 60,
      dryRun: false,
      log: quiet,
    });
    const again = await replayOutbox(target, {
      stage: 't',
      services: ['pedidos'],
      olderThanSeconds: 60,
      dryRun: false,
      log: quiet,
    });
    // Assess
    expect([dry, one, rest, again]).toEqual([{ pedidos: 2 }, { pedidos: 1 }, { pedidos: 1 }, { pedidos: 0 }]);
    const got = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(got.Messages?.map((m) => JSON.parse(m.Body!).id).sort()).toEqual([stranded.id, other.id].sort());
    // The integration bus gets them too, as the publisher sends them (the dry run put nothing).
    expect(onBus.map((e) => e.id).sort()).toEqual([stranded.id, other.id].sort());
    expect(new Set(onBus.map((e) => e.bus))).toEqual(new Set([busArn]));
    const record = await cloud.doc.send(
      new GetCommand({ TableName: table, Key: { pk: `OUTBOX#${stranded.id}`, sk: 'OUTBOX' } }),
    );
    expect(record.Item!['publishedAt']).toEqual(expect.any(String));
  });

  it('marks many records at once as the stream showed them, changing nothing else, and finds none pending', async () => {
    // Prepare: 30 records (two batch writes), read back as the publisher gets them from the stream.
    const table = await cloud.newTable();
    const repo = new DynamoDbRepository(cloud.doc, table);
    const events = Array.from({ length: 30 }, (_, i) => rejected(`o-${i}`, new Date(Date.now() - 600_000)));
    await repo.transactWithOutbox([], events);
    const outbox = new DynamoDbOutbox(cloud.doc, table);
    const read = async (id: string) =>
      (await cloud.doc.send(new GetCommand({ TableName: table, Key: { pk: `OUTBOX#${id}`, sk: 'OUTBOX' } })))
        .Item!;
    const images = await Promise.all(events.map((e) => read(e.id)));
    // Act
    const unmarked = await outbox.markAllPublished(images, new Date('2026-12-07T10:00:00.000Z'));
    // Assess
    expect(unmarked).toEqual([]);
    const after = await Promise.all(events.map((e) => read(e.id)));
    expect(after).toEqual(images.map((i) => ({ ...i, publishedAt: '2026-12-07T10:00:00.000Z' })));
    const pending: unknown[] = [];
    for await (const page of outbox.pending(new Date())) pending.push(...page);
    expect(pending).toEqual([]);
    // A record marked before keeps its first mark.
    await outbox.markAllPublished([after[0]!], new Date('2026-12-08T00:00:00.000Z'));
    expect((await read(events[0]!.id))['publishedAt']).toBe('2026-12-07T10:00:00.000Z');
  });
});

describe('outbox replay target', () => {
  it('reaches the local cloud with its own key pair (s3rver accepts only that pair) and reads its parameters', async () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), 'replay-'));
    mkdirSync(join(root, '.local-cloud'));
    writeFileSync(
      join(root, '.local-cloud', 'outputs.json'),
      JSON.stringify({
        region: 'us-east-1',
        emulators: { dynamodb: 'http://127.0.0.1:1', sqs: 'http://127.0.0.1:2' },
        parameters: { '/order-platform/local/pedidos/table-name': 'orders-table' },
      }),
    );
    // Act
    const target = targetOf('local', root);
    const credentials = await target.dynamodb.config.credentials();
    // Assess
    expect(credentials).toMatchObject(CREDENTIALS);
    expect(await target.parameter('/order-platform/local/pedidos/table-name')).toBe('orders-table');
    expect(() => targetOf('local', mkdtempSync(join(tmpdir(), 'none-')))).toThrow(/npm start/);
  });
});
