/**
 * `npm run bench [-- --orders 1000 --rate 10 --seconds 20]`: the local cloud's figures, each next to its
 * target and, where the target is relative, its reference measured in the same run (issue #12):
 * 1. start: ready from nothing built (bundles and synthesis, what `npm start` does after `npm ci`) and
 *    with nothing changed;
 * 2. latency at a steady rate, after 5 s of warm-up at that rate: `POST /orders` p50, and RECEIVED -> final
 *    p50/p99 from each order's own status history;
 * 3. intake and throughput: `--orders` placed by 32 clients at once, against the raw rate of DynamoDB
 *    Local for the same transaction shape (two items) at the same concurrency; then the time until all
 *    are final, as orders per second end to end and as a ratio of the time to accept them;
 * 4. what each order uses and costs: the same steady rate again, on a second start of the platform with
 *    the meter in front of every emulator (every call counted, with its capacity). Steps 2 and 3 run
 *    without it, as `npm start` does: the meter's extra hop per call cost the burst's intake 10-15 %;
 * 5. every function bundle's size and module init (require plus top-level code, in a fresh Node process).
 * Figures also go to dist/bench.json.
 */
import { CreateTableCommand, DeleteTableCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { WORKSPACE_ROOT, type LocalCloud } from '@order-platform/local-cloud';
import { signIn, startPlatformLocally } from '@order-platform/local-platform';
import { callApi } from '@order-platform/testing';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine } from './command-line';
import { costPerMillionOrders } from './cost-model';
import { cpuBetween, cpuByGroup } from './process-cpu';
import { startCounting, untilQuiet, usagePerOrder, waitUntilFinal } from './order-usage';

// The lockfile pins the SDK: its notice about Node 22 for releases after early 2027 is noise here.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const args = commandLine(
  "npm run bench [-- options]: the local cloud's speed and cost figures (issue #12).",
  {
    orders: { type: 'integer', default: 1000, min: 1, describe: 'orders in the burst, placed 32 at a time' },
    rate: { type: 'number', default: 10, min: 0.1, describe: 'orders per second in the steady run' },
    seconds: { type: 'integer', default: 20, min: 1, describe: 'length of the steady run' },
  },
);
const BURST = args.orders;
const RATE = args.rate;
const STEADY_SECONDS = args.seconds;
const CONCURRENCY = 32;
/** The steady rate runs this long before it is measured (see step 2). */
const WARM_UP_SECONDS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** Settings the functions read at init, with plausible values (what the stacks set in AWS). */
const INIT_ENV = {
  AWS_REGION: 'us-east-1',
  // Tracing is active on every function in AWS: the Tracer and its X-Ray SDK load at init there (in a
  // Lambda execution environment, which AWS_EXECUTION_ENV names).
  POWERTOOLS_TRACE_ENABLED: 'true',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
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

/** Each bundle in dist/apps with its size and the time a fresh Node process takes to load it (module init, median of five). */
function bundles(): { name: string; kib: number; initMs: number }[] {
  const dist = join(WORKSPACE_ROOT, 'dist', 'apps');
  const found: { name: string; kib: number; initMs: number }[] = [];
  for (const service of readdirSync(dist))
    for (const handler of readdirSync(join(dist, service))) {
      const file = join(dist, service, handler, 'index.js');
      const kib = statSync(file).size / 1024;
      // The median of five fresh processes: one load varies by half from run to run on this machine.
      const samples = [0, 1, 2, 3, 4].map(() =>
        Number(
          execFileSync(
            process.execPath,
            [
              // As the functions run, in AWS (NODE_OPTIONS) and locally: Node reads the bundle's source map
              // as it loads it.
              '--enable-source-maps',
              '-e',
              `const t = process.hrtime.bigint(); require(${JSON.stringify(file)}); ` +
                'process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6))',
            ],
            { env: { ...process.env, ...INIT_ENV } },
          ),
        ),
      );
      found.push({ name: `${service}/${handler}`, kib, initMs: pct(samples, 50) });
    }
  return found.sort((a, b) => b.kib - a.kib);
}

/** Runs `work` for `count` items with `concurrency` at a time. */
async function pool(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** Two-item transactions (an order and its outbox record) against DynamoDB Local directly, for `ms`. */
async function rawTransactionRate(cloud: LocalCloud, ms: number): Promise<number> {
  const db = cloud.clients.dynamodb;
  const TableName = `bench-raw-${Date.now()}`;
  await db.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  const payload = 'x'.repeat(900);
  let done = 0;
  const end = Date.now() + ms;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let i = 0; Date.now() < end; i++) {
        const id = `${w}-${i}`;
        await db.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName,
                  Item: { pk: { S: `ORDER#${id}` }, sk: { S: 'ORDER' }, d: { S: payload } },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              { Put: { TableName, Item: { pk: { S: `OUTBOX#${id}` }, sk: { S: 'E' }, d: { S: payload } } } },
            ],
          }),
        );
        done += 1;
      }
    }),
  );
  const rate = done / ((Date.now() - started) / 1000);
  await db.send(new DeleteTableCommand({ TableName }));
  return rate;
}

interface Placed {
  orderId: string;
  postMs: number;
}

async function main(): Promise<void> {
  // 1. Start from nothing built (no bundles, no templates), then with nothing changed.
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
  // X-Ray off: locally every request is traced, where AWS samples about 5 % (see cost-model.ts).
  const cloud = await startPlatformLocally({ outputsDir: null, apiPort: 0, waf: 'off', tracing: false });
  const warmMs = Date.now() - t0;
  let closing: LocalCloud | undefined = cloud;
  try {
    const { api, place, untilFinal, atRate } = await client(cloud);
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) {
      const s = performance.now();
      const res = await fetch(`${api}/products?limit=10`);
      await res.arrayBuffer();
      latencies.push(performance.now() - s);
    }

    // 2. A steady rate: latency. The same rate runs WARM_UP_SECONDS first, not counted: the functions'
    // first sandboxes start then (each ~0.25 s of CPU), and on two saturated cores the backlog of a cold
    // start never drains in the 20 s measured (p50 0.7 s in one run, 2.9 s in the next, nothing else changed).
    console.log(`steady: ${RATE} orders/s for ${WARM_UP_SECONDS} s (warm-up), then ${STEADY_SECONDS} s`);
    const steadyPlaced = await steadyRun(cloud, atRate, untilFinal);
    const steadyFinal = await untilFinal(
      steadyPlaced.map((p) => p.orderId),
      120_000,
    );
    const steadyCount = steadyPlaced.length;
    const toFinal = [...steadyFinal.values()].map((f) => Date.parse(f.finalAt) - Date.parse(f.createdAt));

    // 3. Intake and throughput: the raw rate of DynamoDB Local first, then the burst through the API.
    console.log(`raw DynamoDB Local: two-item transactions, ${CONCURRENCY} at a time, 5 s`);
    const rawRate = await rawTransactionRate(cloud, 5000);
    console.log(`burst: ${BURST} orders, ${CONCURRENCY} at a time`);
    const burst: Placed[] = [];
    const cpu0 = cpuByGroup();
    const b0 = Date.now();
    await pool(BURST, CONCURRENCY, async () => {
      burst.push(await place());
    });
    const acceptMs = Date.now() - b0;
    const burstFinal = await untilFinal(
      burst.map((p) => p.orderId),
      600_000,
    );
    const cpu = [...cpuBetween(cpu0, cpuByGroup())]
      .map(([group, seconds]) => ({ group, msPerOrder: (seconds * 1000) / BURST }))
      .sort((a, b) => b.msPerOrder - a.msPerOrder);
    const finalMs =
      Math.max(...[...burstFinal.values()].map((f) => Date.parse(f.finalAt)), b0 + acceptMs) - b0;
    // What follows an order's final status (the invoice, the mails, the dashboard) runs after it on a busy
    // laptop (deferrable functions yield to the order's path): when it is all done, and what it all cost.
    const settledMs = (await untilQuiet(cloud, 3000, 600_000)) - b0;
    const cpuSettled = [...cpuBetween(cpu0, cpuByGroup())].reduce((n, [, s]) => n + s, 0);

    await cloud.stop();
    closing = undefined;

    // 4. What each order uses: the steady rate again, metered, on a second start (not timed).
    console.log(
      `usage: ${RATE} orders/s for ${WARM_UP_SECONDS} s (warm-up), then ${STEADY_SECONDS} s, metered`,
    );
    const metered = await startPlatformLocally({
      outputsDir: null,
      apiPort: 0,
      waf: 'off',
      meter: true,
      tracing: false,
    });
    closing = metered;
    const m = await client(metered);
    let since: ReturnType<typeof startCounting> | undefined;
    const usagePlaced = await steadyRun(metered, m.atRate, m.untilFinal, () => {
      since = startCounting(metered);
    });
    await m.untilFinal(
      usagePlaced.map((p) => p.orderId),
      120_000,
    );
    for (const p of usagePlaced) await callApi(m.api, 'GET', `/orders/${p.orderId}`, { token: m.customer });
    // Trailing effects (stock commit, invoice, mails, the dashboard) run after the final status, some
    // gathered over batching windows: wait until nothing more happens.
    await untilQuiet(metered);
    const measured = usagePerOrder(metered, since!, usagePlaced.length, 2);
    const capacity = Object.entries(metered.meter!.capacityByFunction())
      .map(([fn, c]) => ({ fn, write: c.write / usagePlaced.length, read: c.read / usagePlaced.length }))
      .sort((a, b) => b.write - a.write);
    // Where they go: the table itself or an index, by function and operation (reads and writes together).
    const capacityParts = metered.meter!.capacityByPart().map((c) => ({
      ...c,
      units: c.units / usagePlaced.length,
    }));
    await metered.stop();
    closing = undefined;

    // 5. Bundles.
    const sizes = bundles();

    const figures = {
      startColdS: coldMs / 1000,
      startWarmS: warmMs / 1000,
      productsP50Ms: pct(latencies, 50),
      productsP95Ms: pct(latencies, 95),
      steady: {
        rate: RATE,
        orders: steadyCount,
        final: steadyFinal.size,
        postP50Ms: pct(
          steadyPlaced.map((p) => p.postMs),
          50,
        ),
        toFinalP50Ms: pct(toFinal, 50),
        toFinalP99Ms: pct(toFinal, 99),
      },
      burst: {
        orders: BURST,
        final: burstFinal.size,
        acceptS: acceptMs / 1000,
        intakePerS: BURST / (acceptMs / 1000),
        postP50Ms: pct(
          burst.map((p) => p.postMs),
          50,
        ),
        postP99Ms: pct(
          burst.map((p) => p.postMs),
          99,
        ),
        finalS: finalMs / 1000,
        endToEndPerS: burstFinal.size / (finalMs / 1000),
        rawTransactionsPerS: rawRate,
        settledS: settledMs / 1000,
        cpuSettledPerOrderMs: (cpuSettled * 1000) / BURST,
      },
      usagePerOrder: measured.usage,
      dynamodbCallsPerOrder: measured.dynamodbCalls,
      cost: costPerMillionOrders(measured.usage),
      bundles: sizes,
      cpuPerOrderMs: cpu,
    };
    mkdirSync(join(WORKSPACE_ROOT, 'dist'), { recursive: true });
    writeFileSync(join(WORKSPACE_ROOT, 'dist', 'bench.json'), JSON.stringify(figures, null, 2));
    report(figures, measured.calls);
    if (cpu.length) {
      const total = cpu.reduce((n, c) => n + c.msPerOrder, 0);
      console.log(
        `\nCPU per order during the burst, until every order was final: ${total.toFixed(0)} ms in all (this machine has 2 cores), by process:`,
      );
      for (const c of cpu.filter((c) => c.msPerOrder >= 0.5))
        console.log(`  ${c.msPerOrder.toFixed(1).padStart(6)} ms  ${c.group}`);
    }
    console.log('\nDynamoDB capacity units per order, by function (write / read):');
    for (const c of capacity)
      console.log(`  ${c.write.toFixed(1).padStart(6)} / ${c.read.toFixed(1).padStart(5)}  ${c.fn}`);
    console.log('\nDynamoDB capacity units per order, by function, operation and table or index (≥ 0.5):');
    for (const c of capacityParts.filter((c) => c.units >= 0.5))
      console.log(`  ${c.units.toFixed(1).padStart(6)}  ${c.fn} ${c.operation} ${c.part}`);
  } finally {
    await closing?.stop();
  }
}

/**
 * A customer's token, a product with stock for any run, and the calls the runs make on `cloud`: placing
 * one order, placing at the steady rate, waiting until orders are final.
 */
async function client(cloud: LocalCloud) {
  const api = cloud.outputs.apiUrl;
  const [customer, admin] = [await signIn(cloud, 'customer'), await signIn(cloud, 'admin')];
  const sku = `BENCH-${Date.now()}`;
  const created = await callApi(api, 'POST', '/products', {
    token: admin,
    body: { sku, name: 'Bench product', price: 990, stock: 1_000_000 },
  });
  if (created.status !== 201) throw new Error(`Creating the bench product: HTTP ${created.status}`);
  const productId = `prod-${sku.toLowerCase()}`;
  const place = async (): Promise<Placed> => {
    const s = performance.now();
    const res = await callApi(api, 'POST', '/orders', {
      token: customer,
      body: {
        items: [{ productId, quantity: 1 }],
        payment: { method: 'card', token: 'tok_approved' },
      },
    });
    if (res.status !== 201 && res.status !== 202)
      throw new Error(`POST /orders: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return { orderId: (res.body as { orderId: string }).orderId, postMs: performance.now() - s };
  };
  const untilFinal = (ids: string[], limitMs: number) => waitUntilFinal(cloud, ids, limitMs);

  const atRate = async (count: number) => {
    const placed: Promise<Placed>[] = [];
    const s0 = Date.now();
    for (let i = 0; i < count; i++) {
      await sleep(Math.max(0, s0 + (i * 1000) / RATE - Date.now()));
      placed.push(place());
    }
    return Promise.all(placed);
  };
  return { api, customer, place, atRate, untilFinal };
}

/** WARM_UP_SECONDS at the steady rate (waited out until all is quiet), then `onMeasured`, then the run measured. */
async function steadyRun(
  cloud: LocalCloud,
  atRate: (count: number) => Promise<Placed[]>,
  untilFinal: (ids: string[], limitMs: number) => Promise<unknown>,
  onMeasured?: () => void,
): Promise<Placed[]> {
  const warmUp = await atRate(Math.ceil(RATE * WARM_UP_SECONDS));
  await untilFinal(
    warmUp.map((p) => p.orderId),
    120_000,
  );
  await untilQuiet(cloud);
  onMeasured?.();
  // Whole orders, whatever the rate (`--rate 0.3` for 20 s places 6).
  return atRate(Math.max(1, Math.round(RATE * STEADY_SECONDS)));
}

type Figures = {
  startColdS: number;
  startWarmS: number;
  productsP50Ms: number;
  productsP95Ms: number;
  steady: {
    rate: number;
    orders: number;
    final: number;
    postP50Ms: number;
    toFinalP50Ms: number;
    toFinalP99Ms: number;
  };
  burst: {
    orders: number;
    final: number;
    acceptS: number;
    intakePerS: number;
    postP50Ms: number;
    postP99Ms: number;
    finalS: number;
    endToEndPerS: number;
    rawTransactionsPerS: number;
    settledS: number;
    cpuSettledPerOrderMs: number;
  };
  dynamodbCallsPerOrder: number;
  cost: ReturnType<typeof costPerMillionOrders>;
  bundles: { name: string; kib: number; initMs: number }[];
};

/** One line per figure: value, target, ratio (value / target; at most 1 is met, or at least 1 for "≥"). */
function report(f: Figures, calls: { fn: string; operation: string; perOrder: number }[]): void {
  const rows: [string, string, string, string][] = [];
  const row = (figure: string, value: number, unit: string, target: number, atLeast = false) =>
    rows.push([
      figure,
      `${value.toFixed(value < 10 ? 2 : 1)} ${unit}`,
      `${atLeast ? '≥' : '≤'} ${target} ${unit}`,
      `${(value / target).toFixed(2)}${(atLeast ? value >= target : value <= target) ? '' : '  (missed)'}`,
    ]);
  row('start, nothing built', f.startColdS, 's', 15);
  row('start, nothing changed', f.startWarmS, 's', 4);
  row(
    `burst: end to end (${f.burst.final}/${f.burst.orders} final)`,
    f.burst.endToEndPerS,
    'orders/s',
    25,
    true,
  );
  row('burst: time to final / time to accept', f.burst.finalS / f.burst.acceptS, '×', 1.5);
  row(
    `intake / raw DynamoDB Local (${f.burst.rawTransactionsPerS.toFixed(0)} tx/s)`,
    f.burst.intakePerS / f.burst.rawTransactionsPerS,
    '×',
    0.5,
    true,
  );
  row(`steady ${f.steady.rate}/s: RECEIVED → final p50`, f.steady.toFinalP50Ms / 1000, 's', 1);
  row(`steady ${f.steady.rate}/s: RECEIVED → final p99`, f.steady.toFinalP99Ms / 1000, 's', 3);
  row(`steady ${f.steady.rate}/s: POST /orders p50`, f.steady.postP50Ms, 'ms', 50);
  const largest = f.bundles[0]!;
  const slowest = [...f.bundles].sort((a, b) => b.initMs - a.initMs)[0]!;
  const over = f.bundles.filter((b) => b.kib > 450).length;
  row(`largest bundle (${largest.name}; ${over} of ${f.bundles.length} over)`, largest.kib, 'KiB', 450);
  row(
    `median bundle`,
    pct(
      f.bundles.map((b) => b.kib),
      50,
    ),
    'KiB',
    450,
  );
  row(`slowest module init (${slowest.name})`, slowest.initMs, 'ms', 120);
  row('cost per million orders (e-mail apart)', f.cost.total, 'USD', 40);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(
    `\n${'figure'.padEnd(widths[0]!)}  ${'value'.padStart(widths[1]!)}  ${'target'.padEnd(widths[2]!)}  ratio`,
  );
  for (const r of rows)
    console.log(
      `${r[0].padEnd(widths[0]!)}  ${r[1].padStart(widths[1]!)}  ${r[2].padEnd(widths[2]!)}  ${r[3]}`,
    );
  console.log(
    `\nalso: GET /products p50 ${f.productsP50Ms.toFixed(1)} ms, p95 ${f.productsP95Ms.toFixed(1)} ms; ` +
      `burst POST /orders ${f.burst.intakePerS.toFixed(1)}/s, p50 ${f.burst.postP50Ms.toFixed(0)} ms, ` +
      `p99 ${f.burst.postP99Ms.toFixed(0)} ms; accepted in ${f.burst.acceptS.toFixed(1)} s, all final after ` +
      `${f.burst.finalS.toFixed(1)} s, everything after them (invoices, mails, dashboard) done after ` +
      `${f.burst.settledS.toFixed(1)} s (${(f.burst.orders / f.burst.settledS).toFixed(1)} orders/s), ` +
      `${f.burst.cpuSettledPerOrderMs.toFixed(0)} ms of CPU per order in all`,
  );
  console.log(`\ncost per million orders (us-east-1 list prices; see tools/scripts/src/cost-model.ts)`);
  for (const l of [...f.cost.lines, f.cost.email])
    console.log(
      `  ${l.service.padEnd(22)} ${l.perOrder.toFixed(l.unit === 'bytes' ? 0 : 3).padStart(9)} ${l.unit.padEnd(11)} per order  $${l.usd.toFixed(2).padStart(7)}`,
    );
  console.log(`  ${'total'.padEnd(22)} ${''.padStart(31)}  $${f.cost.total.toFixed(2).padStart(7)}`);
  console.log(`\nDynamoDB calls per order: ${f.dynamodbCallsPerOrder.toFixed(2)}; the most frequent calls:`);
  for (const c of calls.slice(0, 12))
    console.log(`  ${c.perOrder.toFixed(2).padStart(6)}  ${c.fn}  ${c.operation}`);
}

// Done is done: the figures are printed and the cloud stopped; a client library's idle connection must not
// keep the process (and a CI step) waiting.
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
