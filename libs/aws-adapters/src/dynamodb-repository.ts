import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { DomainEvent } from '@order-platform/contracts';
import { currentTraceHeader } from '@order-platform/lambda-kit';

export type Item = Record<string, unknown>;
/** One write of a transaction, in the document client's shape (plain JS values). */
export type WriteOp = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

/** How long outbox records stay in the table after publication (TTL): a week, for replay and audit. */
export const OUTBOX_TTL_SECONDS = 7 * 24 * 3600;

export class TransactionConflictError extends Error {
  constructor(
    message: string,
    /** Per write, why it was refused (`ConditionalCheckFailed`, `None`, ...), in the order given. */
    readonly reasons: string[],
  ) {
    super(message);
    this.name = 'TransactionConflictError';
  }
}

/** The outbox record of an event: written in the same transaction as the state change it describes. */
export function outboxPut(
  tableName: string,
  event: DomainEvent,
  now = Date.now(),
  traceHeader = currentTraceHeader(),
): WriteOp {
  return {
    Put: {
      TableName: tableName,
      Item: {
        pk: `OUTBOX#${event.id}`,
        sk: 'OUTBOX',
        kind: 'outbox',
        eventType: event.type,
        event,
        expiresAt: Math.floor(now / 1000) + OUTBOX_TTL_SECONDS,
        // The trace the change was made in (the batch record's, else Lambda's header for this invocation):
        // the publisher hands it to SNS, so the event's consumers join the same trace (a stream carries
        // none of its own).
        ...(traceHeader ? { traceHeader } : {}),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * Base for a service's single-table repository: reads, queries and the one write path, a transaction
 * that applies state changes and appends their events to the outbox together (no dual write).
 */
export class DynamoDbRepository {
  constructor(
    protected readonly client: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  protected async getItem<T extends Item>(pk: string, sk: string, consistent = true): Promise<T | undefined> {
    const res = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk, sk }, ConsistentRead: consistent }),
    );
    return res.Item as T | undefined;
  }

  protected async query<T extends Item>(
    input: Omit<QueryCommandInput, 'TableName'>,
  ): Promise<{ items: T[]; lastKey?: Record<string, unknown> }> {
    const res = await this.client.send(new QueryCommand({ TableName: this.tableName, ...input }));
    return { items: (res.Items ?? []) as T[], lastKey: res.LastEvaluatedKey };
  }

  /**
   * The items of `keys` (`pk`/`sk`), in the order of the keys, missing ones left out: what a query on a
   * keys-only index reads next. Up to 100 keys per request; unprocessed keys (throttling) are asked again.
   * Eventually consistent unless `consistent` (twice the read units).
   */
  protected async batchGet<T extends Item>(
    keys: { pk: unknown; sk: unknown }[],
    consistent = false,
  ): Promise<T[]> {
    const found = new Map<string, T>();
    const id = (k: { pk: unknown; sk: unknown }) => `${String(k.pk)}\u0000${String(k.sk)}`;
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] | undefined = keys
        .slice(i, i + 100)
        .map(({ pk, sk }) => ({ pk, sk }));
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        const res: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.tableName]: { Keys: pending, ...(consistent ? { ConsistentRead: true } : {}) },
            },
          }),
        );
        for (const item of (res.Responses?.[this.tableName] ?? []) as T[])
          found.set(id(item as unknown as { pk: unknown; sk: unknown }), item);
        pending = res.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return keys.map((k) => found.get(id(k))).filter((item): item is T => item !== undefined);
  }

  /**
   * Applies `writes` and records `events` in the outbox in one TransactWriteItems call (at most 100 items).
   * A failed condition raises TransactionConflictError with the reason of each write.
   */
  async transactWithOutbox(writes: WriteOp[], events: DomainEvent[] = []): Promise<void> {
    const items = [...writes, ...events.map((e) => outboxPut(this.tableName, e))];
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
      if (e.name === 'TransactionCanceledException') {
        throw new TransactionConflictError(
          'Transaction refused',
          (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None'),
        );
      }
      throw error;
    }
  }
}

export type { TransactWriteItem };
