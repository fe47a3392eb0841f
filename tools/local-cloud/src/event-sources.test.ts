import { deferralFor, tablesWritten, tooOld, Wakeups } from './event-sources';

describe('tooOld (a stream mapping’s MaximumRecordAgeInSeconds)', () => {
  const at = (seconds: number) => ({ arrivedAt: seconds * 1000 });
  const now = 1_000_000 * 1000;

  it('counts the records at the head of the batch older than the limit, and none without a limit', () => {
    const records = [at(1_000_000 - 120), at(1_000_000 - 61), at(1_000_000 - 30), at(1_000_000 - 90)];
    expect(tooOld(records, 60, now)).toBe(2);
    expect(tooOld(records, 3600, now)).toBe(0);
    expect(tooOld(records, Infinity, now)).toBe(0);
  });
});

describe('deferralFor (how long a deferrable batch may wait)', () => {
  it('waits at most the deferral, and never so long that its messages could come back to the queue', () => {
    // The dashboard's inbox: visibility 120 s, window 1 s, timeout 20 s: the whole deferral fits.
    expect(deferralFor(30_000, 120_000, 1_000, 20_000)).toBe(30_000);
    // A queue whose visibility leaves only 10 s beside the window, the function and the deletion.
    expect(deferralFor(30_000, 60_000, 1_000, 44_000)).toBe(10_000);
    // SQS's default visibility (30 s) and a 30 s function: no wait at all.
    expect(deferralFor(30_000, 30_000, 0, 30_000)).toBe(0);
  });
});

describe('stream wake-ups', () => {
  const body = (o: unknown) => Buffer.from(JSON.stringify(o));
  it('names the tables a write touches, and none for a read or a body it cannot read', () => {
    expect(tablesWritten('DynamoDB_20120810.PutItem', body({ TableName: 'orders' }))).toEqual(['orders']);
    expect(
      tablesWritten(
        'DynamoDB_20120810.TransactWriteItems',
        body({
          TransactItems: [
            { Put: { TableName: 'orders' } },
            { ConditionCheck: { TableName: 'keys' } },
            { Update: { TableName: 'orders' } },
          ],
        }),
      ),
    ).toEqual(['orders', 'keys']);
    expect(
      tablesWritten('DynamoDB_20120810.BatchWriteItem', body({ RequestItems: { a: [], b: [] } })),
    ).toEqual(['a', 'b']);
    expect(tablesWritten('DynamoDB_20120810.GetItem', body({ TableName: 'orders' }))).toEqual([]);
    expect(tablesWritten('DynamoDB_20120810.PutItem', Buffer.from('{not json'))).toEqual([]);
  });

  it("wakes a table's listeners, and no other table's, until they unsubscribe", () => {
    const wakeups = new Wakeups();
    const woken: string[] = [];
    const off = wakeups.on('orders', () => woken.push('orders'));
    wakeups.on('stock', () => woken.push('stock'));
    wakeups.wake('orders');
    off();
    wakeups.wake('orders');
    wakeups.wake('stock');
    expect(woken).toEqual(['orders', 'stock']);
  });
});
