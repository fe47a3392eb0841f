// The catalog listing against DynamoDB Local, through the real SDK client, on an index that holds keys only
// (as the produtos stack declares it).
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localEmulators } from '@order-platform/testing/emulators';
import { productItem } from './dynamodb-catalog.writer';
import { DynamoDbProductRepository } from './dynamodb-product.repository';

let cloud: Awaited<ReturnType<typeof localEmulators>>;
beforeAll(async () => {
  cloud = await localEmulators(['dynamodb']);
}, 90000);
afterAll(() => cloud?.stop());

const product = (id: string, onHand: number) => ({
  productId: id,
  sku: id.toUpperCase(),
  name: `Produto ${id}`,
  description: `Descrição de ${id}`,
  price: 1000,
  currency: 'BRL' as const,
  stock: { onHand, reserved: 0 },
  updatedAt: '2026-12-07T10:00:00.000Z',
});

it('lists whole products in id order, a page at a time, from an index of keys', async () => {
  // Prepare
  const table = await cloud.newTable('KEYS_ONLY');
  for (const p of [product('c', 3), product('a', 1), product('b', 2)])
    await cloud.doc.send(new PutCommand({ TableName: table, Item: productItem(p) }));
  const repository = new DynamoDbProductRepository(cloud.doc, table);
  // Act
  const first = await repository.list(2);
  const second = await repository.list(2, first.nextToken);
  // Assess
  expect(first.items).toEqual([product('a', 1), product('b', 2)]);
  expect(second.items).toEqual([product('c', 3)]);
  expect(second.nextToken).toBeUndefined();
});

it("lists a product's current stock, and a stock move writes nothing to the index", async () => {
  // Prepare
  const table = await cloud.newTable('KEYS_ONLY');
  await cloud.doc.send(new PutCommand({ TableName: table, Item: productItem(product('a', 5)) }));
  const repository = new DynamoDbProductRepository(cloud.doc, table);
  // Act: a reservation moves the stock as the ledger does.
  const moved = await cloud.doc.send(
    new UpdateCommand({
      TableName: table,
      Key: { pk: 'PRODUCT#a', sk: 'PRODUCT' },
      UpdateExpression: 'SET reserved = reserved + :n, available = available - :n, updatedAt = :at',
      ExpressionAttributeValues: { ':n': 2, ':at': '2026-12-07T10:01:00.000Z' },
      ReturnConsumedCapacity: 'INDEXES',
    }),
  );
  const { items } = await repository.list(10);
  // Assess
  expect(items).toEqual([
    { ...product('a', 5), stock: { onHand: 5, reserved: 2 }, updatedAt: '2026-12-07T10:01:00.000Z' },
  ]);
  expect(moved.ConsumedCapacity?.GlobalSecondaryIndexes ?? {}).toEqual({});
});
