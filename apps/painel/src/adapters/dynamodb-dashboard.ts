import {
  DeleteCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { OrderStatusChange, OrderSummary, StockAlert } from '../domain/dashboard';
import type { FeedEntry } from '../domain/feed-entry';
import type { EventLog, OrderBoard, StockAlerts } from '../application/ports';

/** Events and orders are kept two days: the dashboard looks back one. */
const RETENTION_SECONDS = 48 * 3600;
const isConditionFailure = (error: unknown) =>
  (error as { name?: string }).name === 'ConditionalCheckFailedException';

/**
 * What painel keeps of the events, in its own table:
 * - `EVENT#<id>` / `EVENT`: the feed, by time on `gsi1` (`FEED`, `<occurredAt>#<id>`);
 * - `ORDER#<orderId>` / `EVENT#<occurredAt>#<id>`: an order's timeline;
 * - `ORDER#<orderId>` / `SUMMARY`: its current status, by placing time on `gsi1` (`ORDERS`, `<placedAt>#<id>`);
 * - `ALERT` / `<productId>`: the open stock alerts.
 */
export class DynamoDbDashboard implements EventLog, OrderBoard, StockAlerts {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private expiresAt(at: string): number {
    return Math.floor(Date.parse(at) / 1000) + RETENTION_SECONDS;
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>, max: number) {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey }),
      );
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && items.length < max);
    return items.slice(0, max);
  }

  async record(entry: FeedEntry): Promise<'recorded' | 'duplicate'> {
    const expiresAt = this.expiresAt(entry.occurredAt);
    if (entry.orderId) {
      // The timeline item first: a retry after a failure below still finds it written (a put is idempotent).
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `ORDER#${entry.orderId}`,
            sk: `EVENT#${entry.occurredAt}#${entry.eventId}`,
            kind: 'timeline',
            ...entry,
            expiresAt,
          },
        }),
      );
    }
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `EVENT#${entry.eventId}`,
            sk: 'EVENT',
            kind: 'event',
            gsi1pk: 'FEED',
            gsi1sk: `${entry.occurredAt}#${entry.eventId}`,
            ...entry,
            expiresAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'recorded';
    } catch (error) {
      if (isConditionFailure(error)) return 'duplicate';
      throw error;
    }
  }

  async recent(limit: number): Promise<FeedEntry[]> {
    const res = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :feed',
        ExpressionAttributeValues: { ':feed': 'FEED' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (res.Items ?? []).map(toEntry);
  }

  async timeline(orderId: string): Promise<FeedEntry[]> {
    const items = await this.queryAll(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
        ExpressionAttributeValues: { ':pk': `ORDER#${orderId}`, ':events': 'EVENT#' },
      },
      500,
    );
    return items.map(toEntry);
  }

  async apply(change: OrderStatusChange): Promise<void> {
    const key = { pk: `ORDER#${change.orderId}`, sk: 'SUMMARY' };
    if (change.placedAt) {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression:
            'SET orderId = :id, placedAt = :placed, gsi1pk = :orders, gsi1sk = :sort, expiresAt = :ttl',
          ExpressionAttributeValues: {
            ':id': change.orderId,
            ':placed': change.placedAt,
            ':orders': 'ORDERS',
            ':sort': `${change.placedAt}#${change.orderId}`,
            ':ttl': this.expiresAt(change.placedAt),
          },
        }),
      );
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET orderId = :id, #status = :status, statusRank = :rank, updatedAt = :at, expiresAt = if_not_exists(expiresAt, :ttl)${change.total !== undefined ? ', #total = :total' : ''}`,
          ConditionExpression: 'attribute_not_exists(statusRank) OR statusRank < :rank',
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(change.total !== undefined ? { '#total': 'total' } : {}),
          },
          ExpressionAttributeValues: {
            ':id': change.orderId,
            ':status': change.status,
            ':rank': change.rank,
            ':at': change.at,
            ':ttl': this.expiresAt(change.at),
            ...(change.total !== undefined ? { ':total': change.total } : {}),
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async placedSince(since: string): Promise<OrderSummary[]> {
    const items = await this.queryAll(
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :orders AND gsi1sk >= :since',
        ExpressionAttributeValues: { ':orders': 'ORDERS', ':since': since },
        ScanIndexForward: false,
      },
      5000,
    );
    return items
      .filter((i) => typeof i['status'] === 'string')
      .map((i) => ({
        orderId: i['orderId'] as string,
        status: i['status'] as OrderSummary['status'],
        placedAt: i['placedAt'] as string | undefined,
        updatedAt: i['updatedAt'] as string,
        total: i['total'] as number | undefined,
      }));
  }

  async raise(alert: StockAlert): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: 'ALERT', sk: alert.productId, ...alert } }),
    );
  }

  async clear(productId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: 'ALERT', sk: productId } }),
    );
  }

  async list(): Promise<StockAlert[]> {
    const items = await this.queryAll(
      { KeyConditionExpression: 'pk = :alert', ExpressionAttributeValues: { ':alert': 'ALERT' } },
      1000,
    );
    return items.map(({ pk: _pk, sk: _sk, ...alert }) => alert as unknown as StockAlert);
  }
}

function toEntry(item: Record<string, unknown>): FeedEntry {
  return {
    eventId: item['eventId'] as string,
    type: item['type'] as string,
    source: item['source'] as string,
    occurredAt: item['occurredAt'] as string,
    correlationId: item['correlationId'] as string,
    orderId: item['orderId'] as string | undefined,
    data: item['data'],
  };
}
