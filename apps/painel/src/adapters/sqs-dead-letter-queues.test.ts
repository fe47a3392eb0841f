import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localEmulators } from '@order-platform/testing/emulators';
import { SqsDeadLetterQueues } from './sqs-dead-letter-queues';

// Against the local cloud's SQS emulator through the real SDK client.
let emulators: Awaited<ReturnType<typeof localEmulators>>;
let sqs: SQSClient;
let n = 0;

beforeAll(async () => {
  emulators = await localEmulators(['sqs']);
  sqs = new SQSClient({
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    endpoint: emulators.endpoints.sqs,
  });
}, 60000);
afterAll(() => emulators?.stop());

/** A stage's inbox and its DLQ (as the CDK names them), with `count` messages in the DLQ. */
async function stage(count: number) {
  const prefix = `OrderPlatform-t${++n}-`;
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}Pedidos-InboxDlq94EF58D2` }));
  const arn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!['QueueArn'];
  const source = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}Pedidos-InboxQueue96F60793`,
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 5 }) },
    }),
  );
  // Another stage's DLQ, which this one must not see.
  await sqs.send(new CreateQueueCommand({ QueueName: `OrderPlatform-other${n}-Pedidos-InboxDlq94EF58D2` }));
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlq.QueueUrl,
        MessageBody: JSON.stringify({ type: 'OrderPlaced', data: { orderId: `o-${i}` } }),
        MessageAttributes: { kind: { DataType: 'String', StringValue: `k${i}` } },
      }),
    );
    ids.push(sent.MessageId!);
  }
  return {
    prefix,
    dlqUrl: dlq.QueueUrl!,
    sourceUrl: source.QueueUrl!,
    ids,
    queues: new SqsDeadLetterQueues(sqs, prefix),
  };
}

async function drain(url: string) {
  const got: { body: string; attributes: Record<string, string> }[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 30,
        MessageAttributeNames: ['All'],
      }),
    );
    if (!Messages.length) return got;
    got.push(
      ...Messages.map((m) => ({
        body: m.Body!,
        attributes: Object.fromEntries(
          Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue!]),
        ),
      })),
    );
  }
}

describe('SqsDeadLetterQueues', () => {
  it("lists the stage's DLQs only, with depth and the queue that sends to each, and peeks without taking", async () => {
    // Prepare
    const s = await stage(3);
    // Act
    const [queue, ...rest] = await s.queues.list();
    const peeked = await s.queues.peek(queue!, 10);
    const again = await s.queues.list();
    // Assess
    expect(rest).toEqual([]);
    expect(queue).toMatchObject({
      name: `${s.prefix}Pedidos-InboxDlq94EF58D2`,
      depth: 3,
      sources: [s.sourceUrl],
    });
    expect(peeked.map((m) => m.messageId).sort()).toEqual([...s.ids].sort());
    expect(peeked[0]!.sentAt).toBeGreaterThan(0);
    expect(again[0]!.depth).toBe(3);
    expect((await s.queues.list('Pedidos-InboxDlq')).map((q) => q.depth)).toEqual([3]);
    expect(await s.queues.list('Produtos-')).toEqual([]);
  });

  it('redrives one message by id to the source queue, attributes kept, and leaves the others visible', async () => {
    // Prepare
    const s = await stage(12);
    const [queue] = await s.queues.list();
    // Act
    const moved = await s.queues.redrive(queue!, s.sourceUrl, s.ids[11]);
    // Assess
    expect(moved).toBe(1);
    expect(await drain(s.sourceUrl)).toEqual([
      {
        body: JSON.stringify({ type: 'OrderPlaced', data: { orderId: 'o-11' } }),
        attributes: { kind: 'k11' },
      },
    ]);
    expect((await s.queues.peek(queue!, 10)).length).toBeGreaterThan(0);
    expect((await drain(s.dlqUrl)).length).toBe(11);
  });

  it('leaves a message in the DLQ when the source refuses it (send first, delete after)', async () => {
    // Prepare
    const s = await stage(2);
    const [queue] = await s.queues.list();
    // Act
    const attempt = s.queues.redrive(queue!, `${s.sourceUrl}-gone`, s.ids[0]);
    // Assess
    await expect(attempt).rejects.toThrow();
    expect((await drain(s.dlqUrl)).length).toBe(2);
  });

  it('redrives all of them, and reports 0 for an id the queue does not hold', async () => {
    // Prepare
    const s = await stage(12);
    const [queue] = await s.queues.list();
    // Act
    const none = await s.queues.redrive(queue!, s.sourceUrl, 'no-such-message');
    const all = await s.queues.redrive(queue!, s.sourceUrl);
    // Assess
    expect(none).toBe(0);
    expect(all).toBe(12);
    expect((await drain(s.sourceUrl)).length).toBe(12);
    expect(await drain(s.dlqUrl)).toEqual([]);
  });
});
