// The order repository against DynamoDB Local, through the real SDK client.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { newEvent } from '@order-platform/contracts';
import { localEmulators } from '@order-platform/testing/emulators';
import { InvalidPageTokenError } from '@order-platform/aws-adapters';
import { receiveOrder, type Order } from '../domain/order';
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

describe('DynamoDbOrderRepository.list', () => {
  async function seeded() {
    // Keys-only indexes, as the pedidos stack declares them: the list reads the orders by key.
    const table = await cloud.newTable('KEYS_ONLY');
    const repo = new DynamoDbOrderRepository(cloud.doc, table);
    // 12 orders of c1, every third one COMPLETED, a second apart; 3 of c2.
    for (let i = 0; i < 15; i++) {
      const base = order(`o${String(i).padStart(2, '0')}`);
      const o: Order = {
        ...base,
        customerId: i < 12 ? 'c1' : 'c2',
        createdAt: new Date(Date.UTC(2026, 10, 23, 10, 0, i)).toISOString(),
        status: i % 3 === 0 ? 'COMPLETED' : 'RECEIVED',
      };
      await repo.create(o, placed(o.orderId));
    }
    return repo;
  }

  it('fills every page of a status filter, for admins and for a customer, and resumes where it stopped', async () => {
    // Prepare
    const repo = await seeded();
    // Act
    const admin1 = await repo.list({ status: 'COMPLETED' }, 2);
    const admin2 = await repo.list({ status: 'COMPLETED' }, 2, admin1.nextToken);
    const admin3 = await repo.list({ status: 'COMPLETED' }, 2, admin2.nextToken);
    const mine1 = await repo.list({ customerId: 'c1', status: 'COMPLETED' }, 3);
    const mine2 = await repo.list({ customerId: 'c1', status: 'COMPLETED' }, 3, mine1.nextToken);
    // Assess
    const ids = (p: { items: Order[] }) => p.items.map((o) => o.orderId);
    expect([ids(admin1), ids(admin2), ids(admin3)]).toEqual([['o12', 'o09'], ['o06', 'o03'], ['o00']]);
    expect(admin3.nextToken).toBeUndefined();
    expect([ids(mine1), ids(mine2)]).toEqual([['o09', 'o06', 'o03'], ['o00']]);
    expect(mine2.nextToken).toBeUndefined();
  });

  it('refuses a token it did not issue, or one of another listing, before DynamoDB sees it', async () => {
    // Prepare
    const repo = await seeded();
    const theirs = (await repo.list({ customerId: 'c2' }, 1)).nextToken!;
    const forged = Buffer.from(
      JSON.stringify({ pk: 'x', sk: 'y', gsi1pk: 'CUSTOMER#c1', gsi1sk: 1 }),
    ).toString('base64url');
    // Act + Assess
    for (const token of ['not-base64-json', theirs, forged, Buffer.from('[1]').toString('base64url')])
      await expect(repo.list({ customerId: 'c1' }, 5, token)).rejects.toBeInstanceOf(InvalidPageTokenError);
  });
});
