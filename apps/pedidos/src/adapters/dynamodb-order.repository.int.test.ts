// The order repository against DynamoDB Local, through the real SDK client.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { newEvent } from '@order-platform/contracts';
import { localEmulators } from '@order-platform/testing/emulators';
import { receiveOrder } from '../domain/order';
import { DynamoDbOrderRepository } from './dynamodb-order.repository';

let cloud: Awaited<ReturnType<typeof localEmulators>>;
beforeAll(async () => {
  cloud = await localEmulators(['dynamodb']);
}, 90000);
afterAll(() => cloud?.stop());

const order = (orderId: string) =>
  receiveOrder(
    {
      orderId,
      customerId: 'c1',
      channel: 'partner',
      items: [{ productId: 'prod-a', quantity: 1 }],
      payment: { method: 'account', token: 'farmacia' },
      correlationId: 'corr',
    },
    new Date(),
  );
const placed = (orderId: string) =>
  newEvent(
    'OrderPlaced',
    'pedidos',
    { orderId, customerId: 'c1', channel: 'partner', items: [{ productId: 'prod-a', quantity: 1 }] },
    { correlationId: 'corr' },
  );

describe('DynamoDbOrderRepository idempotency records', () => {
  it("keeps a partner's reference for ever and lets a customer's key expire after a day", async () => {
    // Prepare
    const table = await cloud.newTable();
    const repo = new DynamoDbOrderRepository(cloud.doc, table);
    // Act
    await repo.create(order('o1'), placed('o1'), {
      key: 'PARTNER#farmacia#R-1',
      fingerprint: 'f',
      permanent: true,
    });
    await repo.create(order('o2'), placed('o2'), { key: 'c1#key-1', fingerprint: 'f' });
    const again = await repo.create(order('o3'), placed('o3'), {
      key: 'PARTNER#farmacia#R-1',
      fingerprint: 'f',
      permanent: true,
    });
    // Assess
    const record = async (key: string) =>
      (
        await cloud.doc.send(
          new GetCommand({ TableName: table, Key: { pk: `IDEMPOTENCY#${key}`, sk: 'IDEMPOTENCY' } }),
        )
      ).Item!;
    expect(await record('PARTNER#farmacia#R-1')).not.toHaveProperty('expiresAt');
    expect((await record('c1#key-1'))['expiresAt']).toBeGreaterThan(Date.now() / 1000 + 23 * 3600);
    expect(again).toEqual({ created: false, orderId: 'o1', fingerprint: 'f' });
    expect(await repo.get('o3')).toBeUndefined();
  });
});
