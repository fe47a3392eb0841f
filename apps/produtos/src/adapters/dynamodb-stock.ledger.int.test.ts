// The stock ledger against DynamoDB Local, through the real SDK client.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { newEvent } from '@order-platform/contracts';
import { localEmulators } from '@order-platform/testing/emulators';
import { commitStock, releaseStock, reserveStock } from '../application/manage-stock.use-case';
import { DynamoDbStockLedger } from './dynamodb-stock.ledger';

let cloud: Awaited<ReturnType<typeof localEmulators>>;
beforeAll(async () => {
  cloud = await localEmulators(['dynamodb']);
}, 90000);
afterAll(() => cloud?.stop());

async function ledgerWith(stock: number) {
  const table = await cloud.newTable();
  await cloud.doc.send(
    new PutCommand({
      TableName: table,
      Item: {
        pk: 'PRODUCT#prod-a',
        sk: 'PRODUCT',
        kind: 'product',
        productId: 'prod-a',
        sku: 'A',
        name: 'A',
        description: '',
        price: 100,
        currency: 'BRL',
        onHand: stock,
        reserved: 0,
        available: stock,
        updatedAt: new Date().toISOString(),
      },
    }),
  );
  return new DynamoDbStockLedger(cloud.doc, table);
}
const placed = newEvent(
  'OrderPlaced',
  'pedidos',
  { orderId: 'o1', customerId: 'c', channel: 'partner', items: [{ productId: 'prod-a', quantity: 1 }] },
  { correlationId: 'corr' },
);

describe('DynamoDbStockLedger', () => {
  it('reports a transaction DynamoDB refuses as invalid (one product twice) instead of throwing for ever', async () => {
    // Prepare
    const ledger = await ledgerWith(10);
    const line = { productId: 'prod-a', quantity: 1, unitPrice: 100 };
    // Act
    const outcome = await ledger.reserve(
      'o1',
      [line, line],
      newEvent('StockReserved', 'produtos', { orderId: 'o1', items: [line, line] }, { correlationId: 'c' }),
    );
    // Assess
    expect(outcome).toBe('invalid');
    expect((await ledger.products(['prod-a'])).get('prod-a')!.stock).toEqual({ onHand: 10, reserved: 0 });
  });

  it('refuses an order naming one product twice with StockReservationFailed, leaving the stock untouched', async () => {
    // Prepare
    const ledger = await ledgerWith(10);
    // Act
    const outcome = await reserveStock({ ledger }, placed, 'o1', [
      { productId: 'prod-a', quantity: 1 },
      { productId: 'prod-a', quantity: 2 },
    ]);
    // Assess
    expect(outcome).toBe('refused');
    expect((await ledger.reservation('o1'))!.status).toBe('FAILED');
    expect((await ledger.products(['prod-a'])).get('prod-a')!.stock).toEqual({ onHand: 10, reserved: 0 });
  });

  it('returns the units of a withdrawn sale on hand once, however often the cancellation arrives', async () => {
    // Prepare: 3 of 10 reserved and sold.
    const ledger = await ledgerWith(10);
    await reserveStock({ ledger }, placed, 'o1', [{ productId: 'prod-a', quantity: 3 }]);
    await commitStock({ ledger }, 'o1');
    const sold = (await ledger.products(['prod-a'])).get('prod-a')!.stock;
    // Act
    const first = await releaseStock({ ledger }, placed, 'o1');
    const second = await releaseStock({ ledger }, placed, 'o1');
    // Assess
    expect(sold).toEqual({ onHand: 7, reserved: 0 });
    expect([first, second]).toEqual(['done', 'duplicate']);
    expect((await ledger.reservation('o1'))!.status).toBe('RETURNED');
    expect((await ledger.products(['prod-a'])).get('prod-a')!.stock).toEqual({ onHand: 10, reserved: 0 });
  });
});
