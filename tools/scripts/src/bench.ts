/**
 * `npm run bench`: starts the local cloud and prints its figures against their targets:
 * - ready time from nothing built (handlers bundled, stage synthesized: what `npm start` does after
 *   `npm ci`; target 20 s on 2 cores), then with the templates up to date,
 * - GET /products latency over 200 sequential requests (p50, p95),
 * - 50 orders placed at once: time until all reach a final state,
 * - every function bundle's size (target 450 KiB) and its module init, require plus top-level code, in a
 *   fresh Node process (target 120 ms).
 */
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '@order-platform/local-cloud';
import { startPlatformLocally } from '@order-platform/local-platform';

// The lockfile pins the SDK: its notice about Node 22 for releases after early 2027 is noise here.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Settings the functions read at init, with plausible values (what the stacks set in AWS). */
const INIT_ENV = {
  AWS_REGION: 'us-east-1',
  POWERTOOLS_TRACE_ENABLED: 'false',
  TABLE_NAME: 'table',
  CONNECTIONS_TABLE: 'connections',
  CONNECTIONS_URL: 'https://example.execute-api.us-east-1.amazonaws.com/live',
  TOKEN_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example',
  CLIENT_ID: 'client',
  DOCUMENTS_BUCKET: 'documents',
  SENDER_EMAIL: 'sender@example.com',
  INVOICE_API_URL: 'https://example.execute-api.us-east-1.amazonaws.com/api/',
  EVENT_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:events',
  OUTBOX_TABLE_NAME: 'table',
};

/** Each bundle in dist/apps with its size and the time a fresh Node process takes to load it (module init). */
function bundles(): { name: string; kib: number; initMs: number }[] {
  const dist = join(WORKSPACE_ROOT, 'dist', 'apps');
  const found: { name: string; kib: number; initMs: number }[] = [];
  for (const service of readdirSync(dist))
    for (const handler of readdirSync(join(dist, service))) {
      const file = join(dist, service, handler, 'index.js');
      const kib = statSync(file).size / 1024;
      const out = execFileSync(
        process.execPath,
        [
          '-e',
          `const t = process.hrtime.bigint(); require(${JSON.stringify(file)}); ` +
            'process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6))',
        ],
        { env: { ...process.env, ...INIT_ENV } },
      );
      found.push({ name: `${service}/${handler}`, kib, initMs: Number(out) });
    }
  return found.sort((a, b) => b.kib - a.kib);
}

async function main(): Promise<void> {
  // Cold: no bundles, no templates.
  for (const dir of ['apps', 'cdk.out/local'])
    rmSync(join(WORKSPACE_ROOT, 'dist', dir), { recursive: true, force: true });
  const c0 = Date.now();
  const cold = await startPlatformLocally({
    outputsDir: null,
    apiPort: 0,
    progress: (s) => console.log(`(cold) ${s}`),
  });
  const coldMs = Date.now() - c0;
  await cold.stop();
  const t0 = Date.now();
  // One account places the whole load: the per-caller rate limit (which would stop it, as in AWS) is lifted.
  // Metered: every call the functions make to DynamoDB, SQS/SNS and SES is counted, by function and operation.
  const cloud = await startPlatformLocally({ outputsDir: null, apiPort: 0, waf: 'off', meter: true });
  const readyMs = Date.now() - t0;
  try {
    const api = cloud.outputs.apiUrl;
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) {
      const s = performance.now();
      const res = await fetch(`${api}/products?limit=10`);
      await res.arrayBuffer();
      latencies.push(performance.now() - s);
    }
    latencies.sort((a, b) => a - b);

    const user = cloud.outputs.users['customer']!;
    const auth = await cloud.clients.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: cloud.outputs.cognito.clientId!,
        AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
      }),
    );
    const headers = {
      Authorization: auth.AuthenticationResult!.IdToken!,
      'Content-Type': 'application/json',
    };
    const invocationsBefore = Object.values(cloud.runtime.stats()).reduce((n, s) => n + s.invocations, 0);
    cloud.meter!.reset();
    const t1 = Date.now();
    const placed = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${api}/orders`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            items: [{ productId: 'prod-feijao-1kg', quantity: 1 }],
            payment: { method: 'card', token: 'tok_approved' },
          }),
        }).then((r) => r.json() as Promise<{ orderId: string }>),
      ),
    );
    const pending = new Set(placed.map((o) => o.orderId));
    const deadline = Date.now() + 120_000;
    while (pending.size && Date.now() < deadline) {
      for (const id of [...pending]) {
        const o = (await (await fetch(`${api}/orders/${id}`, { headers })).json()) as { status: string };
        if (['COMPLETED', 'REJECTED', 'CANCELLED'].includes(o.status)) pending.delete(id);
      }
      if (pending.size) await new Promise((r) => setTimeout(r, 200));
    }
    const flowMs = Date.now() - t1;

    console.log('\nfigure                               value      target     ratio');
    console.log(
      `local cloud ready (nothing built)     ${(coldMs / 1000).toFixed(1).padStart(6)} s   20.0 s   ${(coldMs / 20000).toFixed(2)}`,
    );
    console.log(
      `local cloud ready (templates cached)  ${(readyMs / 1000).toFixed(1).padStart(6)} s   20.0 s   ${(readyMs / 20000).toFixed(2)}`,
    );
    console.log(`GET /products p50                     ${pct(latencies, 50).toFixed(1).padStart(6)} ms`);
    console.log(`GET /products p95                     ${pct(latencies, 95).toFixed(1).padStart(6)} ms`);
    console.log(
      `50 orders to a final state            ${(flowMs / 1000).toFixed(1).padStart(6)} s    (${pending.size} not final)`,
    );
    // What one order costs in calls (the bench's own polling of GET /orders/{id} left out), after its trailing
    // effects (stock commit, invoice, mails) had a moment to run.
    await new Promise((r) => setTimeout(r, 5000));
    const orders = placed.length;
    const calls = cloud.meter!.calls().filter((c) => !c.fn.includes('GetOrder'));
    const perOrder = (n: number) => (n / orders).toFixed(2).padStart(6);
    const byService = new Map<string, number>();
    for (const c of calls) {
      const service = c.operation.split('.')[0]!;
      byService.set(service, (byService.get(service) ?? 0) + c.count);
    }
    const invocations =
      Object.values(cloud.runtime.stats()).reduce((n, s) => n + s.invocations, 0) - invocationsBefore;
    console.log(`\nper order (${orders} orders, the bench's polling left out)`);
    console.log(`Lambda invocations (incl. polling)    ${perOrder(invocations)}`);
    for (const [service, n] of [...byService].sort((a, b) => b[1] - a[1]))
      console.log(`${`${service} calls`.padEnd(37)}${perOrder(n)}`);
    console.log('top calls per order (function, operation):');
    for (const c of calls.slice(0, 12)) console.log(`  ${perOrder(c.count)}  ${c.fn}  ${c.operation}`);

    const sizes = bundles();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const largest = sizes[0]!;
    const slowest = [...sizes].sort((a, b) => b.initMs - a.initMs)[0]!;
    console.log(
      `largest bundle (${largest.name})`.padEnd(37) +
        `${largest.kib.toFixed(0).padStart(6)} KiB  450 KiB   ${(largest.kib / 450).toFixed(2)}`,
    );
    console.log(
      `median bundle (${sizes.length} functions)`.padEnd(37) +
        `${median(sizes.map((s) => s.kib))
          .toFixed(0)
          .padStart(6)} KiB  450 KiB   ${(median(sizes.map((s) => s.kib)) / 450).toFixed(2)}`,
    );
    console.log(
      `slowest module init (${slowest.name})`.padEnd(37) +
        `${slowest.initMs.toFixed(0).padStart(6)} ms   120 ms    ${(slowest.initMs / 120).toFixed(2)}`,
    );
    console.log(
      `median module init`.padEnd(37) +
        `${median(sizes.map((s) => s.initMs))
          .toFixed(0)
          .padStart(6)} ms   120 ms    ${(median(sizes.map((s) => s.initMs)) / 120).toFixed(2)}`,
    );
  } finally {
    await cloud.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
