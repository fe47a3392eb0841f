/**
 * `npm run chaos [-- --orders 1000 --spec <chaos spec> --concurrency 16 --timeout 900]`
 *
 * Starts the local cloud with faults injected (by default every kind, see DEFAULT_CHAOS), places orders of
 * every kind (customers approved, declined, out of stock, cancels racing completion, withdrawals after completion; partner batches, some
 * sent twice), waits for them to settle, redrives what ended in a DLQ and replays what the outbox could
 * not publish, and checks the platform's promises, printing each with its figure. Exits 1 if one fails.
 */
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '@order-platform/aws-adapters';
import { CREDENTIALS, DEFAULT_CHAOS, WORKSPACE_ROOT, type LocalCloud } from '@order-platform/local-cloud';
import { signIn, startPlatformLocally } from '@order-platform/local-platform';
import { join } from 'node:path';
import { commandLine } from './command-line';
import { callApi } from '@order-platform/testing';
import { replayOutbox } from './outbox-replay';

// The lockfile pins the SDK; its notice about Node 22 is noise in this report.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

type Json = Record<string, unknown>;
const FINAL = new Set(['COMPLETED', 'REJECTED', 'CANCELLED']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Check {
  name: string;
  ok: boolean;
  figure: string;
}

interface Placed {
  kind: 'approved' | 'declined' | 'cancel-race' | 'scarce' | 'partner';
  orderId?: string;
  partnerOrderRef?: string;
  lines: { productId: string; quantity: number }[];
}

/** A tiny REST client that retries what a careful client retries: network errors, 429 and 5xx. */
function apiClient(api: string) {
  return async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: Json }> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await callApi(api, method, path, options);
        if ((res.status === 429 || res.status >= 500) && attempt < 10) {
          await sleep(100 * 2 ** Math.min(attempt, 5));
          continue;
        }
        return { status: res.status, body: res.body ?? {} };
      } catch (error) {
        if (attempt >= 10) throw error;
        await sleep(100 * 2 ** Math.min(attempt, 5));
      }
    }
  };
}

async function pool<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

async function scanAll(cloud: LocalCloud, table: string): Promise<Json[]> {
  const doc = documentClient(cloud.clients.dynamodb);
  const items: Json[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as Json[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every DLQ of the platform with its source queue (from the redrive policies) and its depth. */
async function deadLetterQueues(cloud: LocalCloud) {
  const sqs = cloud.clients.sqs;
  const urls = Object.values(cloud.outputs.resources).filter((v) => v.startsWith('http') && v.includes('/'));
  const queues = await Promise.all(
    urls.map(async (url) => {
      const attrs = await sqs
        .send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))
        .catch(() => undefined);
      return attrs?.Attributes ? { url, attrs: attrs.Attributes } : undefined;
    }),
  );
  const known = queues.filter((q): q is NonNullable<typeof q> => Boolean(q?.attrs['QueueArn']));
  const byArn = new Map(known.map((q) => [q.attrs['QueueArn']!, q.url]));
  const sources = new Map<string, string>();
  for (const q of known) {
    const policy = q.attrs['RedrivePolicy'];
    if (policy)
      sources.set(
        byArn.get((JSON.parse(policy) as { deadLetterTargetArn: string }).deadLetterTargetArn)!,
        q.url,
      );
  }
  return known
    .filter((q) => /Dlq/i.test(q.url))
    .map((q) => ({
      url: q.url,
      source: sources.get(q.url),
      depth:
        Number(q.attrs['ApproximateNumberOfMessages'] ?? 0) +
        Number(q.attrs['ApproximateNumberOfMessagesNotVisible'] ?? 0),
    }));
}

/** Moves every message of a DLQ back to its source queue (what an operator's redrive does). */
async function redrive(sqs: SQSClient, dlq: string, source: string): Promise<number> {
  let moved = 0;
  for (;;) {
    const got = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlq,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
      }),
    );
    if (!got.Messages?.length) return moved;
    for (const m of got.Messages) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: source,
          MessageBody: m.Body!,
          MessageAttributes: m.MessageAttributes,
        }),
      );
      await sqs.send(new DeleteMessageCommand({ QueueUrl: dlq, ReceiptHandle: m.ReceiptHandle! }));
      moved++;
    }
  }
}

async function main(): Promise<number> {
  const values = commandLine('npm run chaos [-- options]: orders of every kind under injected faults.', {
    orders: { type: 'integer', default: 1000, min: 1, describe: 'orders to place' },
    spec: { type: 'string', default: DEFAULT_CHAOS, describe: 'the faults (see the README)' },
    concurrency: { type: 'integer', default: 16, min: 1, describe: 'orders placed at a time' },
    timeout: { type: 'integer', default: 900, min: 1, describe: 'seconds to wait for orders to settle' },
  });
  const total = values.orders;
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  const say = (line: string) => console.log(`[${elapsed()}] ${line}`);
  const outputsDir = join(WORKSPACE_ROOT, '.local-cloud', 'chaos');
  const cloud = await startPlatformLocally({
    apiPort: 0,
    webSocketPort: 0,
    sitePort: 0,
    outputsDir,
    chaos: values.spec,
    // Two accounts play a thousand customers: the per-caller rate limit is lifted (faults, not fairness).
    waf: 'off',
    progress: say,
  });
  try {
    return await scenario(cloud, {
      total,
      concurrency: values.concurrency,
      timeoutS: values.timeout,
      say,
      outputsDir,
    });
  } finally {
    await cloud.stop();
  }
}

async function scenario(
  cloud: LocalCloud,
  options: {
    total: number;
    concurrency: number;
    timeoutS: number;
    say: (line: string) => void;
    outputsDir: string;
  },
): Promise<number> {
  const { say } = options;
  const o = cloud.outputs;
  say(`chaos: ${o.chaos}`);
  const call = apiClient(o.apiUrl);
  const token = (user: string) => signIn(cloud, user);
  const [admin, customer, customer2] = await Promise.all([
    token('admin'),
    token('customer'),
    token('customer2'),
  ]);
  const partnerKey = o.apiKeys.find((k) => k.name === 'farmacia-demo')!.apiKey;
  const run = Date.now().toString(36);

  // Products of this run: one plentiful, one scarce (sells out: orders are rejected), one in between.
  const stockOf = {
    plenty: 100_000,
    scarce: Math.max(10, Math.round(options.total / 20)),
    middle: options.total,
  };
  const products: Record<string, string> = {};
  for (const [name, stock] of Object.entries(stockOf)) {
    const sku = `CHAOS-${name}-${run}`.toUpperCase();
    const res = await call('POST', '/products', {
      token: admin,
      body: { sku, name: `Chaos ${name}`, price: 1000, stock },
    });
    if (res.status !== 201 && res.status !== 409)
      throw new Error(`Creating ${sku}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    products[name] = `prod-${sku.toLowerCase()}`;
  }
  say(
    `products: ${Object.entries(stockOf)
      .map(([n, s]) => `${n} ${s}`)
      .join(', ')}`,
  );

  // The orders: 50 % approved, 10 % declined, 10 % cancelled as they are placed, 10 % on the scarce product,
  // 20 % partner orders in batches of 5 (every fourth batch sent twice).
  const placed: Placed[] = [];
  const plan = Array.from({ length: options.total }, (_, i) => i);
  const partnerBatch: {
    partnerOrderRef: string;
    items: { productId: string; quantity: number }[];
    deliverTo: Json;
  }[] = [];
  const batches: (typeof partnerBatch)[] = [];
  const jobs: { kind: Placed['kind']; i: number }[] = [];
  for (const i of plan) {
    const slot = i % 10;
    if (slot >= 8) {
      const ref = `CH-${run}-${i}`;
      partnerBatch.push({
        partnerOrderRef: ref,
        items: [{ productId: products['middle']!, quantity: 1 }],
        deliverTo: { name: `Loja ${i}`, city: 'Campinas', state: 'SP' },
      });
      placed.push({
        kind: 'partner',
        partnerOrderRef: ref,
        lines: [{ productId: products['middle']!, quantity: 1 }],
      });
      if (partnerBatch.length === 5) batches.push(partnerBatch.splice(0));
    } else {
      jobs.push({
        kind: slot < 5 ? 'approved' : slot === 5 ? 'declined' : slot === 6 ? 'cancel-race' : 'scarce',
        i,
      });
    }
  }
  if (partnerBatch.length) batches.push(partnerBatch.splice(0));

  let accepted = 0;
  const progress = () => {
    accepted++;
    if (accepted % 100 === 0) say(`${accepted} orders accepted`);
  };
  const placing = Date.now();
  await Promise.all([
    pool(jobs, options.concurrency, async ({ kind, i }) => {
      const lines =
        kind === 'scarce'
          ? [{ productId: products['scarce']!, quantity: 2 }]
          : [
              { productId: products['plenty']!, quantity: 1 + (i % 3) },
              ...(i % 4 === 0 ? [{ productId: products['middle']!, quantity: 1 }] : []),
            ];
      const res = await call('POST', '/orders', {
        token: i % 2 ? customer : customer2,
        headers: { 'Idempotency-Key': `chaos-${run}-${i}` },
        body: {
          items: lines,
          payment: { method: 'card', token: kind === 'declined' ? 'tok_declined' : 'tok_approved' },
        },
      });
      if (res.status !== 202 && res.status !== 200)
        throw new Error(`POST /orders: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      const orderId = String(res.body['orderId']);
      placed.push({ kind, orderId, lines });
      progress();
      if (kind === 'cancel-race') {
        const cancel = await call('POST', `/orders/${orderId}/cancel`, {
          token: i % 2 ? customer : customer2,
        });
        // Before completion a cancel; after it a withdrawal (refund, restock, invoice cancelled): 200 both.
        if (cancel.status !== 200) throw new Error(`cancel: HTTP ${cancel.status}`);
      }
    }),
    pool(batches, 2, async (batch, b) => {
      for (let send = 0; send < (b % 4 === 0 ? 2 : 1); send++) {
        const res = await call('POST', '/partner/orders', {
          headers: { 'x-api-key': partnerKey },
          body: { orders: batch },
        });
        if (res.status !== 202)
          throw new Error(`POST /partner/orders: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      }
      for (let k = 0; k < batch.length; k++) progress();
    }),
  ]);
  const acceptSeconds = (Date.now() - placing) / 1000;
  say(`${accepted} orders accepted in ${acceptSeconds.toFixed(1)} s; waiting for them to be final`);

  const parameters = o.parameters;
  const table = (service: string) => parameters[`/order-platform/local/${service}/table-name`]!;
  const ordersNow = async () => {
    const items = (await scanAll(cloud, table('pedidos'))).filter((i) => i['kind'] === 'order');
    return {
      byId: new Map(items.map((i) => [String(i['orderId']), i])),
      byRef: items.filter((i) => i['partnerOrderRef']),
    };
  };
  const pendingOf = (now: Awaited<ReturnType<typeof ordersNow>>) =>
    placed.filter((p) => {
      const order = p.orderId
        ? now.byId.get(p.orderId)
        : now.byRef.find((r) => r['partnerOrderRef'] === p.partnerOrderRef);
      return !order || !FINAL.has(String(order['status']));
    });
  const settle = async (limitS: number) => {
    const deadline = Date.now() + limitS * 1000;
    let last = -1;
    let still = Date.now();
    for (;;) {
      const pending = pendingOf(await ordersNow());
      if (!pending.length) return 0;
      if (pending.length !== last) {
        say(`${pending.length} orders not final yet`);
        last = pending.length;
        still = Date.now();
      }
      // Nothing moved for a while: what is left waits in a DLQ (or for a retry much later).
      if (Date.now() > deadline || Date.now() - still > 180_000) return pending.length;
      await sleep(2000);
    }
  };
  let firstPass = await settle(options.timeoutS);
  // Withdrawals, still under faults: one completed customer order in ten is cancelled after completion
  // (refund, units back, invoice cancelled), then everything settles again.
  const settled = await ordersNow();
  const withdrawals = placed
    .filter((p) => p.kind === 'approved' && settled.byId.get(p.orderId!)?.['status'] === 'COMPLETED')
    .filter((_, n) => n % 10 === 0);
  await pool(withdrawals, 4, async (p) => {
    // An admin may withdraw any order on its customer's behalf.
    const res = await call('POST', `/orders/${p.orderId}/cancel`, { token: admin });
    if (res.status !== 200) throw new Error(`withdrawal: HTTP ${res.status}`);
  });
  say(`${withdrawals.length} completed orders withdrawn from`);
  if (withdrawals.length) firstPass = await settle(options.timeoutS);
  const settleSeconds = (Date.now() - placing) / 1000;
  const dlqsBefore = await deadLetterQueues(cloud);
  const parked = dlqsBefore.reduce((n, q) => n + q.depth, 0);
  say(`first pass: ${firstPass} not final; ${parked} message(s) in DLQs`);

  // The operator's side: faults stop, DLQs are redriven, the outbox is replayed, and everything settles.
  const chaos = cloud.chaos!;
  const counts = { ...chaos.counts };
  Object.assign(chaos.spec, {
    lambdaError: 0,
    lambdaCrash: 0,
    duplicate: 0,
    sesError: 0,
    dynamodbThrottle: 0,
  });
  chaos.spec.latency = { p: 0, ms: 0 };
  let redriven = 0;
  for (const q of dlqsBefore)
    if (q.depth && q.source) redriven += await redrive(cloud.clients.sqs, q.url, q.source);
  const replayed = await replayOutbox(
    {
      dynamodb: cloud.clients.dynamodb,
      sns: cloud.clients.sns,
      eventbridge: new EventBridgeClient({
        region: cloud.outputs.region,
        credentials: CREDENTIALS,
        endpoint: cloud.outputs.emulators['events'],
      }),
      parameter: async (n) => parameters[n],
    },
    {
      stage: 'local',
      services: ['produtos', 'pedidos', 'faturas'],
      olderThanSeconds: 30,
      dryRun: false,
      log: () => undefined,
    },
  );
  const replayedCount = Object.values(replayed).reduce((a, b) => a + b, 0);
  say(`redrove ${redriven} message(s), replayed ${replayedCount} outbox event(s)`);
  const secondPass = firstPass || redriven || replayedCount ? await settle(300) : 0;
  // The promises, each with its figure. Stock commits, invoices and mails trail the final status and retry
  // on their own schedule (a failed message comes back after its visibility timeout): the checks are
  // repeated until they hold or nothing has changed for three minutes.
  const verify = async (): Promise<Check[]> => {
    const checks: Check[] = [];
    const check = (name: string, ok: boolean, figure: string) => checks.push({ name, ok, figure });
    const now = await ordersNow();
    const final = [...now.byId.values()];
    const ours = placed
      .map((p) =>
        p.orderId
          ? now.byId.get(p.orderId)
          : now.byRef.find((r) => r['partnerOrderRef'] === p.partnerOrderRef),
      )
      .filter((x): x is Json => Boolean(x));
    const status = (s: string) => ours.filter((x) => x['status'] === s).length;
    check(
      'every accepted order is final (after redriving the DLQs)',
      secondPass === 0 && ours.length === placed.length,
      `${ours.filter((x) => FINAL.has(String(x['status']))).length}/${placed.length} final: ${status('COMPLETED')} completed, ${status('REJECTED')} rejected, ${status('CANCELLED')} cancelled; ${parked} parked in DLQs, ${redriven} redriven, ${replayedCount} replayed`,
    );
    const denied = cloud.iam.denials();
    check(
      "no call was denied by the functions' roles (IAM enforced from the stacks)",
      denied.length === 0,
      denied.length
        ? denied
            .slice(0, 3)
            .map((d) => `${d.function}: ${d.action} on ${d.resource}`)
            .join('; ')
        : `${cloud.outputs.iam}, none denied`,
    );
    const dlqsAfter = await deadLetterQueues(cloud);
    check(
      'the DLQs are empty afterwards',
      dlqsAfter.every((q) => q.depth === 0),
      dlqsAfter
        .filter((q) => q.depth)
        .map((q) => `${q.url.split('/').pop()} ${q.depth}`)
        .join(', ') || 'all empty',
    );

    const catalog = await scanAll(cloud, table('produtos'));
    const stockProblems: string[] = [];
    for (const [name, productId] of Object.entries(products)) {
      const item = catalog.find((i) => i['pk'] === `PRODUCT#${productId}`)!;
      const sold = ours
        .filter((x) => x['status'] === 'COMPLETED')
        .flatMap((x) => x['items'] as { productId: string; quantity: number }[])
        .filter((l) => l.productId === productId)
        .reduce((n, l) => n + l.quantity, 0);
      const expected = stockOf[name as keyof typeof stockOf] - sold;
      if (item['onHand'] !== expected || item['reserved'] !== 0 || item['available'] !== expected)
        stockProblems.push(
          `${name}: onHand ${item['onHand']} (expected ${expected}), reserved ${item['reserved']}, available ${item['available']}`,
        );
    }
    // What still holds stock: the reservations of final orders (for the report, should this check fail).
    if (stockProblems.length) {
      const held = catalog.filter((i) => i['kind'] === 'reservation' && i['status'] === 'RESERVED');
      stockProblems.push(
        `held by ${held
          .slice(0, 5)
          .map(
            (r) =>
              `${String(r['orderId']).slice(0, 8)} (order ${now.byId.get(String(r['orderId']))?.['status'] ?? '?'})`,
          )
          .join(', ')}`,
      );
    }
    check(
      'stock balances exactly (sold = completed lines, nothing left reserved)',
      !stockProblems.length,
      stockProblems.join('; ') ||
        `3 products, ${ours.filter((x) => x['status'] === 'COMPLETED').length} completed orders`,
    );

    const invoices = (await scanAll(cloud, table('faturas'))).filter((i) =>
      String(i['pk']).startsWith('INVOICE#'),
    );
    const completedIds = new Set(
      final.filter((x) => x['status'] === 'COMPLETED').map((x) => String(x['orderId'])),
    );
    // Withdrawn: completed, then cancelled by the customer (refunded, restocked, invoice cancelled).
    const withdrawnIds = new Set(
      final
        .filter(
          (x) =>
            x['status'] === 'CANCELLED' &&
            ((x['statusHistory'] ?? []) as { status: string }[]).some((s) => s.status === 'COMPLETED'),
        )
        .map((x) => String(x['orderId'])),
    );
    const invoicedIds = invoices.map((i) => String(i['orderId']));
    const numbers = invoices.map((i) => Number(i['number'])).sort((a, b) => a - b);
    const gapFree = numbers.every((n, i) => n === i + 1);
    const statusOfInvoice = new Map(invoices.map((i) => [String(i['orderId']), String(i['status'])]));
    const oneEach =
      invoicedIds.length === new Set(invoicedIds).size &&
      [...completedIds].every((id) => statusOfInvoice.get(id) === 'ISSUED') &&
      [...withdrawnIds].every((id) => statusOfInvoice.get(id) === 'CANCELLED');
    const issued = invoices.filter((i) => i['status'] === 'ISSUED').length;
    const voided = invoices.length - issued;
    check(
      'one invoice per completed order (cancelled for each withdrawn one), numbers unique and gap-free',
      oneEach && gapFree && invoicedIds.every((id) => completedIds.has(id) || withdrawnIds.has(id)),
      `${invoices.length} invoices (${issued} issued, ${voided} cancelled) for ${completedIds.size} completed and ${withdrawnIds.size} withdrawn orders, numbers 1..${numbers.at(-1) ?? 0}${gapFree ? '' : ' with gaps'}`,
    );

    const mails = (
      (await (await fetch(`${o.emulators['ses']}/store`)).json()) as { emails: { subject: string }[] }
    ).emails;
    const bySubject = new Map<string, number>();
    for (const m of mails) bySubject.set(m.subject, (bySubject.get(m.subject) ?? 0) + 1);
    const invoiceOf = new Map(
      invoices.map((i) => [
        String(i['orderId']),
        `Fatura ${i['series']}-${i['number']} do pedido ${i['orderId']}`,
      ]),
    );
    const finalWord = { COMPLETED: 'concluído', REJECTED: 'recusado', CANCELLED: 'cancelado' } as const;
    let missing = 0;
    let doubled = 0;
    for (const x of ours) {
      const id = String(x['orderId']);
      const expected = [
        `Pedido ${id} recebido`,
        ...(withdrawnIds.has(id) ? [`Pedido ${id} concluído`] : []),
        `Pedido ${id} ${finalWord[x['status'] as keyof typeof finalWord]}`,
        ...(x['status'] === 'COMPLETED' ? [invoiceOf.get(id) ?? `Fatura ? do pedido ${id}`] : []),
      ];
      // A withdrawn order's invoice mail went out only if the invoice was issued before the withdrawal.
      const optional = withdrawnIds.has(id) ? [invoiceOf.get(id) ?? ''] : [];
      for (const subject of [...expected, ...optional]) {
        const n = bySubject.get(subject) ?? 0;
        if (n === 0 && expected.includes(subject)) missing++;
        if (n > 1) doubled += n - 1;
      }
    }
    // SES has no idempotency key: a sandbox that dies between SES accepting a mail and the SENT marker is
    // the one way a mail goes twice. Anything beyond the crashes injected would be a broken guarantee.
    check(
      'each customer mail (received, final, invoice) sent, and twice only where a sandbox died right after SES took it',
      missing === 0 && doubled <= counts['lambda-crash'],
      `${mails.length} mails, ${missing} missing, ${doubled} sent twice (sandbox crashes injected: ${counts['lambda-crash']})`,
    );

    const captured = ours.filter((x) => {
      const payment = (x['payment'] ?? {}) as { status?: string };
      return (
        x['status'] !== 'COMPLETED' &&
        ['CAPTURED', 'AUTHORIZED', 'PENDING'].includes(payment.status ?? 'PENDING')
      );
    });
    const byStatus = new Map<string, number>();
    for (const x of ours) {
      const key = `${x['status']}/${((x['payment'] ?? {}) as { status?: string }).status ?? '-'}`;
      byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
    }
    check(
      'no cancelled, rejected or declined order keeps a payment that was or could still be taken',
      captured.length === 0,
      [...byStatus].map(([k, n]) => `${k} ${n}`).join(', '),
    );

    const refs = new Map<string, number>();
    for (const r of now.byRef)
      refs.set(
        `${r['partnerId']}#${r['partnerOrderRef']}`,
        (refs.get(`${r['partnerId']}#${r['partnerOrderRef']}`) ?? 0) + 1,
      );
    const sentRefs = placed.filter((p) => p.kind === 'partner').map((p) => p.partnerOrderRef!);
    const ofRun = [...refs].filter(([k]) => sentRefs.some((r) => k.endsWith(`#${r}`)));
    const twice = ofRun.filter(([, n]) => n !== 1);
    const unmatched = sentRefs.filter((r) => !now.byRef.some((x) => x['partnerOrderRef'] === r));
    check(
      'every partner reference maps to exactly one order',
      twice.length === 0 && unmatched.length === 0,
      `${sentRefs.length} references (${Math.ceil(batches.length / 4)} batches sent twice): ${twice.length} with several orders, ${unmatched.length} without`,
    );
    return checks;
  };
  let checks = await verify();
  let lastFigures = '';
  let changedAt = Date.now();
  while (checks.some((c) => !c.ok) && Date.now() - changedAt < 180_000) {
    const figures = checks.map((c) => c.figure).join('|');
    if (figures !== lastFigures) {
      lastFigures = figures;
      changedAt = Date.now();
      say(
        `waiting for trailing effects: ${checks
          .filter((c) => !c.ok)
          .map((c) => c.figure)
          .join('; ')}`,
      );
    }
    await sleep(3000);
    checks = await verify();
  }

  console.log(
    `\nFaults injected: ${Object.entries(counts)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')} (log: ${join(options.outputsDir, 'chaos.log')})`,
  );
  console.log(
    `Orders: ${placed.length} accepted in ${acceptSeconds.toFixed(1)} s (${(placed.length / acceptSeconds).toFixed(1)}/s); first pass settled after ${settleSeconds.toFixed(1)} s\n`,
  );
  for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}\n      ${c.figure}`);
  const failed = checks.filter((c) => !c.ok).length;
  console.log(`\nchaos: ${checks.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`chaos: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
