import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Meter } from './meter';

describe('Meter (profiling the calls functions make)', () => {
  it('forwards every call as it came and counts it by calling function and operation', async () => {
    // Prepare: an upstream that echoes the operation it got.
    const upstream = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end(String(req.headers['x-amz-target'] ?? 'query')));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const meter = new Meter();
    const proxy = await meter.proxy(
      'dynamodb',
      `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    );
    const call = (target: string | undefined, agent: string, body = '') =>
      fetch(proxy, {
        method: 'POST',
        headers: {
          ...(target ? { 'x-amz-target': target } : {}),
          'user-agent': `aws-sdk-js/3 app/${agent}`,
          'x-amz-user-agent': 'aws-sdk-js/3',
          'content-type': 'application/x-www-form-urlencoded',
        },
        body,
      }).then((r) => r.text());
    // Act
    const answers = [
      await call('DynamoDB_20120810.GetItem', 'Orders/GetOrder'),
      await call('DynamoDB_20120810.GetItem', 'Orders/GetOrder'),
      await call('DynamoDB_20120810.TransactWriteItems', 'Orders/PlaceOrder'),
      await call(undefined, 'Orders/Notify', 'Action=SendEmail'),
    ];
    // Assess
    expect(answers[0]).toBe('DynamoDB_20120810.GetItem');
    expect(meter.calls()).toEqual([
      { fn: 'Orders/GetOrder', operation: 'dynamodb.GetItem', count: 2 },
      { fn: 'Orders/PlaceOrder', operation: 'dynamodb.TransactWriteItems', count: 1 },
      { fn: 'Orders/Notify', operation: 'dynamodb.SendEmail', count: 1 },
    ]);
    meter.stop();
    upstream.close();
  });

  it('counts the entries put on an EventBridge bus, which EventBridge bills, apart from the calls', async () => {
    const upstream = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('{"FailedEntryCount":0}'));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const meter = new Meter();
    const proxy = await meter.proxy('events', `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
    const put = (entries: number) =>
      fetch(proxy, {
        method: 'POST',
        headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'user-agent': 'aws-sdk-js/3 app/Orders/Publish' },
        body: JSON.stringify({ Entries: Array.from({ length: entries }, () => ({ Detail: '{}' })) }),
      }).then((r) => r.text());
    await put(10);
    await put(3);
    expect(meter.eventBusEntries()).toBe(13);
    expect(meter.calls()).toEqual([{ fn: 'Orders/Publish', operation: 'events.PutEvents', count: 2 }]);
    meter.reset();
    expect(meter.eventBusEntries()).toBe(0);
    meter.stop();
    upstream.close();
  });

  it('asks DynamoDB for the capacity each call consumed and sums it by function, reads apart from writes, and by table and index', async () => {
    // Prepare: an upstream that consumes 2 units when asked to say so, and records what it was sent.
    const seen: Record<string, unknown>[] = [];
    const upstream = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        seen.push(input);
        const consumed =
          input['ReturnConsumedCapacity'] === 'INDEXES'
            ? {
                CapacityUnits: 2,
                Table: { CapacityUnits: 1.5 },
                GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 0.5 } },
              }
            : undefined;
        const transact = String(req.headers['x-amz-target']).endsWith('TransactWriteItems');
        res.end(JSON.stringify({ ConsumedCapacity: transact ? [consumed, consumed] : consumed }));
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const meter = new Meter();
    const proxy = await meter.proxy(
      'dynamodb',
      `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    );
    const call = (operation: string, agent: string) =>
      fetch(proxy, {
        method: 'POST',
        headers: {
          'x-amz-target': `DynamoDB_20120810.${operation}`,
          'user-agent': `aws-sdk-js/3 app/${agent}`,
          'content-type': 'application/x-amz-json-1.0',
        },
        body: JSON.stringify({ TableName: 'orders' }),
      }).then((r) => r.json());
    // Act
    await call('GetItem', 'Orders/GetOrder');
    await call('TransactWriteItems', 'Orders/PlaceOrder');
    await call('PutItem', 'Orders/PlaceOrder');
    await call('DescribeTable', 'Orders/PlaceOrder');
    // Assess
    expect(seen.map((s) => s['ReturnConsumedCapacity'])).toEqual([
      'INDEXES',
      'INDEXES',
      'INDEXES',
      undefined,
    ]);
    expect(seen.every((s) => s['TableName'] === 'orders')).toBe(true);
    expect(meter.capacityByFunction()).toEqual({
      'Orders/GetOrder': { read: 2, write: 0 },
      'Orders/PlaceOrder': { read: 0, write: 6 },
    });
    expect(meter.capacityByPart()).toEqual([
      { fn: 'Orders/PlaceOrder', operation: 'TransactWriteItems', part: 'table', units: 3 },
      { fn: 'Orders/GetOrder', operation: 'GetItem', part: 'table', units: 1.5 },
      { fn: 'Orders/PlaceOrder', operation: 'PutItem', part: 'table', units: 1.5 },
      { fn: 'Orders/PlaceOrder', operation: 'TransactWriteItems', part: 'gsi1', units: 1 },
      { fn: 'Orders/GetOrder', operation: 'GetItem', part: 'gsi1', units: 0.5 },
      { fn: 'Orders/PlaceOrder', operation: 'PutItem', part: 'gsi1', units: 0.5 },
    ]);
    meter.reset();
    expect(meter.capacityByPart()).toEqual([]);
    meter.stop();
    upstream.close();
  });
});
