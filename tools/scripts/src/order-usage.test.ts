/**
 * The regression guard of issue #12, on counts, not timings: what one order costs in DynamoDB calls and
 * capacity units, SNS publishes and Lambda invocations, metered on the local cloud for a few orders placed
 * through the API. A change that adds a call per event or widens an item shows here before it shows on a
 * bill. `npm run bench` prints the same figures with the cost per million orders.
 */
import type { LocalCloud } from '@order-platform/local-cloud';
import { signIn, startPlatformLocally } from '@order-platform/local-platform';
import { callApi } from '@order-platform/testing';
import { startCounting, untilQuiet, usagePerOrder, waitUntilFinal } from './order-usage';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

/**
 * Measured on 2026-11-23 (10 orders, 2 at a time): 44.9 DynamoDB calls, 72 WRU, 12.6 RRU, 5.3 publishes
 * and 16 invocations per order (87 WRU before pedidos' indexes held keys only). On 2026-12-06: 43.6 calls,
 * 72.8 WRU, 11.1 RRU, 5.6 publishes, 12.6 invocations, since the partner callbacks and the legacy
 * write-back take only their own channel's outcomes (14.5 invocations and 45.9 calls before). On
 * 2026-12-07: 14.2 KiB of logs per order, since consumers no longer log a line per event received (20.8
 * KiB before). Later on 2026-12-07: 36.2 calls and 8.1 RRU, since the outbox publisher marks a stream
 * batch's records in one call, the customer's mail takes its address from the event and a first stock
 * reservation reads no reservation (40.5 calls, 11.1 RRU before). In the fourth session of 2026-12-07 the
 * meter counts a transaction's items as DynamoDB bills them (DynamoDB Local showed equal items once: 79.2
 * WRU where it said 73.4); then 33.9 calls, 75.4 WRU and 5.9 RRU, since a stock move no longer rewrites the
 * catalog index and the invoice function reads its invoice and series in one call; then 32.2 calls and 8.5
 * invocations (11.7 before), since the dashboard's, the mails' and the invoices' consumers gather records
 * over a 1-s window (the usage is read once the platform is quiet, not after a fixed pause). The budgets
 * leave room for retries after conflicts, not for one more call or write per event (~5 per order).
 */
const BUDGET = {
  dynamodbCalls: 38,
  dynamodbWriteUnits: 80,
  dynamodbReadUnits: 8,
  snsPublishes: 6,
  /** Events put on the integration bus: one per event, as on the topic. */
  eventBusEvents: 6,
  lambdaInvocations: 11,
  /** Bytes the functions log (CloudWatch Logs bills ingestion by the byte). */
  logBytes: 16 * 1024,
};

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startPlatformLocally({ outputsDir: null, apiPort: 0, waf: 'off', meter: true });
}, 180_000);
afterAll(async () => {
  await cloud?.stop();
});

it('keeps what one order costs within its budget', async () => {
  // Prepare
  const api = cloud.outputs.apiUrl;
  const token = await signIn(cloud, 'customer');
  const since = startCounting(cloud);
  const orders = 10;
  // Act: orders placed two at a time, each read once by its customer once final.
  const ids: string[] = [];
  for (let i = 0; i < orders; i += 2) {
    const placed = await Promise.all(
      [0, 1].map(() =>
        callApi(api, 'POST', '/orders', {
          token,
          body: {
            items: [{ productId: 'prod-feijao-1kg', quantity: 1 }],
            payment: { method: 'card', token: 'tok_approved' },
          },
        }),
      ),
    );
    for (const p of placed) ids.push((p.body as { orderId: string }).orderId);
  }
  const finals = await waitUntilFinal(cloud, ids, 120_000);
  for (const id of ids) await callApi(api, 'GET', `/orders/${id}`, { token });
  await untilQuiet(cloud);
  const measured = usagePerOrder(cloud, since, orders, 2);
  console.log(
    `per order: ${measured.dynamodbCalls.toFixed(1)} DynamoDB calls, ` +
      `${measured.usage.dynamodbWriteUnits.toFixed(1)} WRU, ${measured.usage.dynamodbReadUnits.toFixed(1)} RRU, ` +
      `${measured.usage.snsPublishes.toFixed(1)} publishes, ${measured.usage.eventBusEvents.toFixed(1)} bus events, ${measured.usage.lambdaInvocations.toFixed(1)} invocations, ` +
      `${(measured.usage.logBytes / 1024).toFixed(1)} KiB of logs`,
  );
  // Assess: every order completed (a rejected one would cost less and hide a regression), and what follows
  // it was all counted (two mails to the customer and the invoice's, its PDF and XML) ...
  expect([...finals.values()].map((f) => f.status)).toEqual(Array(orders).fill('COMPLETED'));
  expect(measured.usage.emails).toBe(3);
  expect(measured.usage.s3Puts).toBe(2);
  // ... and nothing costs more than its budget, nor implausibly little (the meter would have stopped counting).
  expect(measured.dynamodbCalls).toBeLessThanOrEqual(BUDGET.dynamodbCalls);
  expect(measured.usage.dynamodbWriteUnits).toBeLessThanOrEqual(BUDGET.dynamodbWriteUnits);
  expect(measured.usage.dynamodbReadUnits).toBeLessThanOrEqual(BUDGET.dynamodbReadUnits);
  expect(measured.usage.snsPublishes).toBeLessThanOrEqual(BUDGET.snsPublishes);
  expect(measured.usage.eventBusEvents).toBeLessThanOrEqual(BUDGET.eventBusEvents);
  expect(measured.usage.eventBusEvents).toBeCloseTo(measured.usage.snsPublishes, 0);
  expect(measured.usage.lambdaInvocations).toBeLessThanOrEqual(BUDGET.lambdaInvocations);
  expect(measured.usage.logBytes).toBeLessThanOrEqual(BUDGET.logBytes);
  expect(measured.dynamodbCalls).toBeGreaterThan(BUDGET.dynamodbCalls / 2);
  expect(measured.usage.dynamodbWriteUnits).toBeGreaterThan(BUDGET.dynamodbWriteUnits / 2);
}, 240_000);
