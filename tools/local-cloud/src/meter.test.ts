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
});
