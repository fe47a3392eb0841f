// A table kept by `--persist` against the real DynamoDB Local: brought to what its template says now, its
// items kept.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { startEmulators, type Emulators } from './emulators';
import { reconcileKeptTable, type TableShape } from './kept-tables';

let emulators: Emulators;
let client: DynamoDBClient;
beforeAll(async () => {
  emulators = await startEmulators({}, ['dynamodb']);
  client = new DynamoDBClient({
    endpoint: emulators.endpoints.dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}, 90_000);
afterAll(async () => {
  client?.destroy();
  await emulators?.stop();
});

const S = (AttributeName: string) => ({ AttributeName, AttributeType: 'S' as const });
const index = (name: string, pk: string, type: 'ALL' | 'KEYS_ONLY') => ({
  IndexName: name,
  KeySchema: [{ AttributeName: pk, KeyType: 'HASH' as const }],
  Projection: { ProjectionType: type },
});

/** A table as an earlier version of a template made it: a NEW_IMAGE stream, gsi1 (ALL) and gsi2, one item. */
async function keptTable(TableName: string) {
  await client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [S('pk'), S('gsi1pk'), S('gsi2pk')],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [index('gsi1', 'gsi1pk', 'ALL'), index('gsi2', 'gsi2pk', 'ALL')],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  await client.send(
    new PutItemCommand({
      TableName,
      Item: { pk: { S: 'kept-1' }, gsi1pk: { S: 'A' }, gsi3pk: { S: 'C' }, note: { S: 'from the last run' } },
    }),
  );
}

it('brings a kept table to its template: stream, changed, removed and new indexes; the items stay', async () => {
  // Prepare: the template now has no stream, gsi1 with keys only, no gsi2, a new gsi3.
  const TableName = `kept-${Date.now()}`;
  await keptTable(TableName);
  const shape: TableShape = {
    attributeDefinitions: [S('pk'), S('gsi1pk'), S('gsi3pk')],
    indexes: [index('gsi1', 'gsi1pk', 'KEYS_ONLY'), index('gsi3', 'gsi3pk', 'ALL')],
  };
  // Act
  const { table, changes } = await reconcileKeptTable(client, TableName, shape);
  // Assess
  expect(changes).toEqual([
    'stream NEW_IMAGE → none',
    'index gsi1 removed (its keys or projection changed)',
    'index gsi2 removed',
    'index gsi1 created from the kept items',
    'index gsi3 created from the kept items',
  ]);
  expect(table.StreamSpecification?.StreamEnabled ?? false).toBe(false);
  expect(
    table.GlobalSecondaryIndexes?.map((i) => [
      i.IndexName,
      i.Projection?.ProjectionType,
      i.IndexStatus,
    ]).sort(),
  ).toEqual([
    ['gsi1', 'KEYS_ONLY', 'ACTIVE'],
    ['gsi3', 'ALL', 'ACTIVE'],
  ]);
  const byGsi3 = await client.send(
    new QueryCommand({
      TableName,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :c',
      ExpressionAttributeValues: { ':c': { S: 'C' } },
    }),
  );
  expect(byGsi3.Items?.map((i) => i['note']?.S)).toEqual(['from the last run']);
}, 60_000);

it('gives a kept table the stream its template gained, and a new stream for another view type', async () => {
  // Prepare
  const TableName = `kept-stream-${Date.now()}`;
  await keptTable(TableName);
  const before = (await client.send(new DescribeTableCommand({ TableName }))).Table!;
  const indexes = [index('gsi1', 'gsi1pk', 'ALL'), index('gsi2', 'gsi2pk', 'ALL')];
  // Act
  const changed = await reconcileKeptTable(client, TableName, {
    attributeDefinitions: [S('pk'), S('gsi1pk'), S('gsi2pk')],
    indexes,
    stream: 'NEW_AND_OLD_IMAGES',
  });
  const again = await reconcileKeptTable(client, TableName, {
    attributeDefinitions: [S('pk'), S('gsi1pk'), S('gsi2pk')],
    indexes,
    stream: 'NEW_AND_OLD_IMAGES',
  });
  // Assess
  expect(changed.changes).toEqual(['stream NEW_IMAGE → NEW_AND_OLD_IMAGES']);
  expect(changed.table.StreamSpecification).toEqual({
    StreamEnabled: true,
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  });
  expect(changed.table.LatestStreamArn).toBeDefined();
  expect(changed.table.LatestStreamArn).not.toBe(before.LatestStreamArn);
  expect(again.changes).toEqual([]);
  expect(again.table.LatestStreamArn).toBe(changed.table.LatestStreamArn);
}, 60_000);

it('stops at a change DynamoDB refuses, naming the table, the change and the way out; the items stay', async () => {
  // Prepare: the template now types `pk` as a number and keys a new index on it, where the kept table's
  // key is a string: only a new table could take that.
  const TableName = `kept-refused-${Date.now()}`;
  await keptTable(TableName);
  const shape: TableShape = {
    attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'N' }, S('gsi1pk'), S('gsi2pk')],
    indexes: [
      index('gsi1', 'gsi1pk', 'ALL'),
      index('gsi2', 'gsi2pk', 'ALL'),
      index('gsi9', 'pk', 'KEYS_ONLY'),
    ],
    stream: 'NEW_IMAGE',
  };
  // Act
  const refused = reconcileKeptTable(client, TableName, shape);
  // Assess
  await expect(refused).rejects.toThrow(
    new RegExp(`^${TableName}: the table kept .* \\(index gsi9 created from the kept items\\): .*state`),
  );
  const after = (await client.send(new DescribeTableCommand({ TableName }))).Table!;
  expect(after.ItemCount).toBe(1);
  expect(after.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(['gsi1', 'gsi2']);
}, 60_000);

it('makes again an index whose key attribute changed type', async () => {
  // Prepare: gsi2's key is a number in the template, a string in the kept table.
  const TableName = `kept-retyped-${Date.now()}`;
  await keptTable(TableName);
  // Act
  const { table, changes } = await reconcileKeptTable(client, TableName, {
    attributeDefinitions: [S('pk'), S('gsi1pk'), { AttributeName: 'gsi2pk', AttributeType: 'N' }],
    indexes: [index('gsi1', 'gsi1pk', 'ALL'), index('gsi2', 'gsi2pk', 'ALL')],
    stream: 'NEW_IMAGE',
  });
  // Assess
  expect(changes).toEqual([
    'index gsi2 removed (its keys or projection changed)',
    'index gsi2 created from the kept items',
  ]);
  expect(table.AttributeDefinitions?.find((a) => a.AttributeName === 'gsi2pk')?.AttributeType).toBe('N');
}, 60_000);
