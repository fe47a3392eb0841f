import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '@order-platform/contracts';

/** An outbox record not yet marked published. */
export interface PendingOutboxRecord {
  pk: string;
  event: DomainEvent;
}

/**
 * The outbox records of a service table: marks a record published once its event reached the topic, and
 * finds the ones that never were (for the replay tool). A marked record stays until its TTL, for audit.
 */
export class DynamoDbOutbox {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async markPublished(eventId: string, at = new Date()): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `OUTBOX#${eventId}`, sk: 'OUTBOX' },
        UpdateExpression: 'SET publishedAt = if_not_exists(publishedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at.toISOString() },
      }),
    );
  }

  /**
   * Marks many records published at once, as the stream showed them: each is written back whole with
   * `publishedAt` (25 per `BatchWriteItem`, where a conditional update costs a call per record). Writing back
   * what the record holds changes nothing else, and on a record that exists it is a `MODIFY`, which the
   * publisher's stream filter leaves out. Writes DynamoDB leaves unprocessed (throttling) are sent again a
   * few times; answers the event ids still not marked.
   */
  async markAllPublished(
    records: Record<string, unknown>[],
    at = new Date(),
    attempts = 4,
  ): Promise<string[]> {
    const publishedAt = at.toISOString();
    const unmarked: string[] = [];
    for (let i = 0; i < records.length; i += 25) {
      let pending: { PutRequest: { Item: Record<string, unknown> } }[] | undefined = records
        .slice(i, i + 25)
        .map((r) => ({ PutRequest: { Item: { ...r, publishedAt: r['publishedAt'] ?? publishedAt } } }));
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt === attempts) {
          unmarked.push(...pending.map((p) => String((p.PutRequest.Item['event'] as { id: string }).id)));
          break;
        }
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const res: BatchWriteCommandOutput = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
        );
        pending = res.UnprocessedItems?.[this.tableName] as typeof pending;
      }
    }
    return unmarked;
  }

  /**
   * Pages through the records that were never marked published and are older than `olderThan` (so the
   * stream still has time for fresh ones), of one order when `orderId` is given. A scan: this is an
   * operator's tool, not a hot path.
   */
  async *pending(olderThan: Date, orderId?: string): AsyncGenerator<PendingOutboxRecord[], void, void> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression:
            'kind = :outbox AND attribute_not_exists(publishedAt) AND #e.occurredAt < :before' +
            (orderId ? ' AND #e.#d.orderId = :order' : ''),
          ExpressionAttributeNames: { '#e': 'event', ...(orderId ? { '#d': 'data' } : {}) },
          ExpressionAttributeValues: {
            ':outbox': 'outbox',
            ':before': olderThan.toISOString(),
            ...(orderId ? { ':order': orderId } : {}),
          },
          ExclusiveStartKey: start,
        }),
      );
      start = page.LastEvaluatedKey;
      yield (page.Items ?? []) as PendingOutboxRecord[];
    } while (start);
  }
}
