/**
 * What the platform used for a number of orders, from the local cloud's meter (every call the functions
 * made to DynamoDB, SNS/SQS, SES and S3, with DynamoDB's own capacity accounting) and its Lambda runtime
 * (invocations, time in invocations, log bytes, SQS messages delivered), per order: the input of the cost
 * model and of the regression guard in `npm test`.
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '@order-platform/aws-adapters';
import type { FunctionStats, LocalCloud } from '@order-platform/local-cloud';
import type { OrderUsage } from './cost-model';

export type RuntimeSnapshot = Record<string, FunctionStats>;

/** Where counting starts: the meter is reset and the runtime's counters are noted. */
export function startCounting(cloud: LocalCloud): RuntimeSnapshot {
  if (!cloud.meter) throw new Error('The local cloud was started without `meter`');
  cloud.meter.reset();
  return cloud.runtime.stats();
}

export interface MeasuredUsage {
  usage: OrderUsage;
  /** DynamoDB calls per order (requests, whatever their size). */
  dynamodbCalls: number;
  /** Per order, by calling function and operation, most frequent first. */
  calls: { fn: string; operation: string; perOrder: number }[];
}

export function usagePerOrder(
  cloud: LocalCloud,
  since: RuntimeSnapshot,
  orders: number,
  apiRequests: number,
): MeasuredUsage {
  const meter = cloud.meter!;
  const now = cloud.runtime.stats();
  let invocations = 0;
  let gbSeconds = 0;
  let logBytes = 0;
  let sqsMessages = 0;
  let sqsBatches = 0;
  for (const [name, s] of Object.entries(now)) {
    const b = since[name];
    invocations += s.invocations - (b?.invocations ?? 0);
    gbSeconds += ((s.durationMs - (b?.durationMs ?? 0)) / 1000) * (s.memoryMb / 1024);
    logBytes += s.logBytes - (b?.logBytes ?? 0);
    sqsMessages += s.sqsMessages - (b?.sqsMessages ?? 0);
    sqsBatches += s.sqsBatches - (b?.sqsBatches ?? 0);
  }
  const calls = meter.calls();
  const count = (service: string, operations?: string[]) =>
    calls
      .filter((c) => {
        const [s, op] = c.operation.split('.') as [string, string];
        return s === service && (!operations || operations.includes(op));
      })
      .reduce((n, c) => n + c.count, 0);
  const capacity = Object.values(meter.capacityByFunction()).reduce(
    (t, c) => ({ read: t.read + c.read, write: t.write + c.write }),
    { read: 0, write: 0 },
  );
  const per = (n: number) => n / orders;
  return {
    usage: {
      apiRequests,
      lambdaInvocations: per(invocations),
      lambdaGbSeconds: per(gbSeconds),
      dynamodbWriteUnits: per(capacity.write),
      dynamodbReadUnits: per(capacity.read),
      snsPublishes: per(count('sns', ['Publish', 'PublishBatch'])),
      eventBusEvents: per(meter.eventBusEntries()),
      // The functions' own SQS calls; per message delivered to a function, its send (SNS's delivery into
      // the queue); per batch delivered, Lambda's ReceiveMessage and DeleteMessageBatch. (The event source's
      // empty long polls while a queue is idle are a fixed cost per queue, not per order.)
      sqsRequests: per(count('sqs') + sqsMessages + 2 * sqsBatches),
      s3Puts: per(count('s3', ['PUT'])),
      s3Bytes: per(meter.bytesWrittenToS3()),
      logBytes: per(logBytes),
      emails: per(count('ses', ['SendEmail', 'SendRawEmail'])),
    },
    dynamodbCalls: per(count('dynamodb')),
    calls: calls.map((c) => ({ fn: c.fn, operation: c.operation, perOrder: per(c.count) })),
  };
}

/**
 * Waits until the platform is quiet: no call to an emulator and no invocation for `quietMs` (or `limitMs`
 * passed). What follows an order's final status — the dashboard, the mails, the invoice, the publishers —
 * runs later, some of it gathered over batching windows: a usage read sooner would miss part of it.
 */
export async function untilQuiet(cloud: LocalCloud, quietMs = 3000, limitMs = 60_000): Promise<number> {
  // Without the meter, the invocations alone (every call an emulator sees comes from one).
  const activity = () =>
    (cloud.meter?.calls().reduce((n, c) => n + c.count, 0) ?? 0) +
    Object.values(cloud.runtime.stats()).reduce((n, s) => n + s.invocations, 0);
  const deadline = Date.now() + limitMs;
  let last = activity();
  let quietSince = Date.now();
  while (Date.now() - quietSince < quietMs && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = activity();
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
  }
  return quietSince;
}

const FINAL = new Set(['COMPLETED', 'REJECTED', 'CANCELLED']);

/**
 * Waits until the orders are final (or `limitMs` passed), reading them from pedidos' table directly so the
 * waiting costs the functions nothing; each final order with its creation and final instants.
 */
export async function waitUntilFinal(
  cloud: LocalCloud,
  ids: string[],
  limitMs: number,
): Promise<Map<string, { createdAt: string; finalAt: string; status: string }>> {
  const doc = documentClient(cloud.clients.dynamodb);
  const table = cloud.outputs.parameters['/order-platform/local/pedidos/table-name']!;
  const finals = new Map<string, { createdAt: string; finalAt: string; status: string }>();
  const deadline = Date.now() + limitMs;
  while (finals.size < ids.length && Date.now() < deadline) {
    // The oldest 100 orders not yet final, and only what the check needs of them: the measuring must not
    // load what it measures (a read of every pending order each second took DynamoDB Local ~65 ms per 100
    // orders, a fifth of this machine's CPU while 1,000 orders were in flight).
    const oldest = ids.filter((id) => !finals.has(id)).slice(0, 100);
    const res = await doc.send(
      new BatchGetCommand({
        RequestItems: {
          [table]: {
            Keys: oldest.map((id) => ({ pk: `ORDER#${id}`, sk: 'ORDER' })),
            ProjectionExpression: 'orderId, createdAt, #status, statusHistory',
            ExpressionAttributeNames: { '#status': 'status' },
          },
        },
      }),
    );
    const before = finals.size;
    for (const o of res.Responses?.[table] ?? []) {
      if (!FINAL.has(String(o['status']))) continue;
      const history = o['statusHistory'] as { status: string; at: string }[];
      finals.set(String(o['orderId']), {
        createdAt: String(o['createdAt']),
        finalAt: history.at(-1)!.at,
        status: String(o['status']),
      });
    }
    // The next 100 at once when these all were final; otherwise a second later. The final instants come from
    // each order's history, so when they are found changes nothing measured.
    const allFinal = finals.size - before === oldest.length && !res.UnprocessedKeys?.[table];
    if (finals.size < ids.length && !allFinal) await new Promise((r) => setTimeout(r, 1000));
  }
  return finals;
}
