// The aws-adapters against real emulators; it lives here because the local cloud itself uses aws-adapters.
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { startEmulators, type Emulators } from '@order-platform/local-cloud';
import { anEvent } from './events';
import {
  documentClient,
  DynamoDbRepository,
  SnsEventPublisher,
  sqsRetryBackoff,
  TransactionConflictError,
} from '@order-platform/aws-adapters';

// Real DynamoDB Local and the SQS/SNS emulator, reached through the real SDK clients.
let emulators: Emulators;
const region = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

beforeAll(async () => {
  emulators = await startEmulators({}, ['dynamodb', 'sqs']);
}, 90000);
afterAll(() => emulators?.stop());

class Repo extends DynamoDbRepository {
  get(pk: string) {
    return this.getItem(pk, 'X');
  }
}

describe('DynamoDbRepository.transactWithOutbox', () => {
  it('writes the state change and its outbox record together, or neither', async () => {
    // Prepare
    const raw = new DynamoDBClient({ region, credentials, endpoint: emulators.endpoints.dynamodb });
    await raw.send(
      new CreateTableCommand({
        TableName: 'orders',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    const doc = documentClient(raw);
    const repo = new Repo(doc, 'orders');
    const event = anEvent('OrderPlaced');
    const put = (pk: string) => ({
      Put: {
        TableName: 'orders',
        Item: { pk, sk: 'X', v: 1 },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    // Act
    await repo.transactWithOutbox([put('A')], [event]);
    const second = repo.transactWithOutbox([put('B'), put('A')], [anEvent('OrderPlaced')]);
    // Assess
    await expect(second).rejects.toEqual(new TransactionConflictError('Transaction refused', []));
    await second.catch((e: TransactionConflictError) =>
      expect(e.reasons).toEqual(['None', 'ConditionalCheckFailed', 'None']),
    );
    expect(await repo.get('A')).toMatchObject({ v: 1 });
    expect(await repo.get('B')).toBeUndefined();
    const outbox = await doc.send(
      new GetCommand({ TableName: 'orders', Key: { pk: `OUTBOX#${event.id}`, sk: 'OUTBOX' } }),
    );
    expect(outbox.Item).toMatchObject({ kind: 'outbox', eventType: 'OrderPlaced', event });
  });
});

describe('SnsEventPublisher', () => {
  it('delivers the envelope to a subscribed queue whose filter policy matches its type', async () => {
    // Prepare
    const endpoint = emulators.endpoints.sqs;
    const sns = new SNSClient({ region, credentials, endpoint });
    const sqs = new SQSClient({ region, credentials, endpoint });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'events' }));
    const wanted = await sqs.send(new CreateQueueCommand({ QueueName: 'wanted' }));
    const other = await sqs.send(new CreateQueueCommand({ QueueName: 'other' }));
    const arn = (url: string) => `arn:aws:sqs:${region}:000000000000:${url.split('/').pop()}`;
    for (const [url, types] of [
      [wanted.QueueUrl!, ['OrderPlaced']],
      [other.QueueUrl!, ['InvoiceIssued']],
    ] as const) {
      await sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: arn(url),
          Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ type: types }) },
        }),
      );
    }
    const event = anEvent('OrderPlaced');
    // Act
    await new SnsEventPublisher(sns, TopicArn!).publish(event);
    // Assess
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: wanted.QueueUrl, WaitTimeSeconds: 2 }));
    expect(got.Messages?.map((m) => JSON.parse(m.Body!))).toEqual([event]);
    const none = await sqs.send(new ReceiveMessageCommand({ QueueUrl: other.QueueUrl, WaitTimeSeconds: 1 }));
    expect(none.Messages ?? []).toEqual([]);
  });
});

describe('sqsRetryBackoff', () => {
  it('brings a failed message back after its backoff, not after the visibility timeout', async () => {
    // Prepare: a queue whose visibility timeout is a minute.
    const sqs = new SQSClient({ region, credentials, endpoint: emulators.endpoints.sqs });
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'backoff', Attributes: { VisibilityTimeout: '60' } }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    const first = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }),
    );
    const message = first.Messages![0]!;
    // Act
    await sqsRetryBackoff(sqs, { baseSeconds: 1 })({
      receiptHandle: message.ReceiptHandle!,
      eventSourceARN: `arn:aws:sqs:${region}:000000000000:backoff`,
      attributes: { ApproximateReceiveCount: message.Attributes?.['ApproximateReceiveCount'] ?? '1' },
    });
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
    // Assess
    expect(again.Messages?.map((m) => m.Body)).toEqual(['x']);
  });
});
