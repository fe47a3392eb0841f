// The meter in front of the real DynamoDB Local, through the SDK: the capacity of transactions as DynamoDB
// bills it, where DynamoDB Local's own figure leaves items out.
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startEmulators, type Emulators } from './emulators';
import { Meter } from './meter';

let emulators: Emulators;
const meter = new Meter();
beforeAll(async () => {
  emulators = await startEmulators({}, ['dynamodb']);
}, 90_000);
afterAll(async () => {
  meter.stop();
  await emulators?.stop();
});

const client = (endpoint: string) =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      customUserAgent: [['app', 'Orders-Publish']],
    }),
  );

it('counts every item of a transaction at twice its units, which DynamoDB Local alone does not', async () => {
  // Prepare: a table without indexes, reached directly and through the meter.
  const direct = client(emulators.endpoints.dynamodb);
  const TableName = `meter-${Date.now()}`;
  await direct.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }),
  );
  const metered = client(await meter.proxy('dynamodb', emulators.endpoints.dynamodb));
  const put = (pk: string, bytes: number) => ({ Put: { TableName, Item: { pk, d: 'x'.repeat(bytes) } } });
  // Act: two small items (an order and its outbox record), then a 3-unit item and a 1-unit one.
  const reported = await direct.send(
    new TransactWriteCommand({
      TransactItems: [put('a', 300), put('b', 300)],
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  await metered.send(new TransactWriteCommand({ TransactItems: [put('c', 300), put('d', 300)] }));
  const small = meter.capacityByFunction()['Orders-Publish']?.write ?? 0;
  await metered.send(new TransactWriteCommand({ TransactItems: [put('e', 2500), put('f', 300)] }));
  const mixed = (meter.capacityByFunction()['Orders-Publish']?.write ?? 0) - small;
  // Assess: DynamoDB bills 2 × (1 + 1) and 2 × (3 + 1); the meter says so whatever DynamoDB Local reports.
  expect(reported.ConsumedCapacity?.[0]?.CapacityUnits).toBe(2);
  expect(small).toBe(4);
  expect(mixed).toBe(8);
  expect(meter.capacityByPart()).toEqual([
    { fn: 'Orders-Publish', operation: 'TransactWriteItems', part: 'table', units: 12 },
  ]);
}, 60_000);
