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
 * - `ORDER#<orderId>` / `EVENT#<occurredAt>#<id>`: an order's timeline, one item per event, which is also
 *   the feed entry, by time on `gsi1` (`FEED`, `<occurredAt>#<id>`); an event without an order is
 *   `EVENT#<id>` / `EVENT`, on the feed only;
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
    // One item per event, written once: it is the order's timeline entry, the feed's (on gsi1) and the
    // duplicate check at the same time, so a redelivered event changes nothing and costs one refused write.
    const key = entry.orderId
      ? { pk: `ORDER#${entry.orderId}`, sk: `EVENT#${entry.occurredAt}#${entry.eventId}` }
      : { pk: `EVENT#${entry.eventId}`, sk: 'EVENT' };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            kind: 'event',
            gsi1pk: 'FEED',
            gsi1sk: `${entry.occurredAt}#${entry.eventId}`,
            ...entry,
            expiresAt: this.expiresAt(entry.occurredAt),
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
    // The placing time sorts the order on gsi1; it is written with the status when the status moves
    // forward (one write, the common case) and alone when a later status got there first.
    const origin = {
      ...(change.channel ? { ':channel': change.channel } : {}),
      ...(change.partnerId ? { ':partner': change.partnerId } : {}),
    };
    const placing = change.placedAt
      ? {
          set:
            ', placedAt = :placed, gsi1pk = :orders, gsi1sk = :sort' +
            (change.channel ? ', channel = :channel' : '') +
            (change.partnerId ? ', partnerId = :partner' : ''),
          values: {
            ':placed': change.placedAt,
            ':orders': 'ORDERS',
            ':sort': `${change.placedAt}#${change.orderId}`,
            ...origin,
          },
        }
      : { set: '', values: {} };
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET orderId = :id, #status = :status, statusRank = :rank, updatedAt = :at, expiresAt = if_not_exists(expiresAt, :ttl)${change.total !== undefined ? ', #total = :total' : ''}${placing.set}`,
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
            ':ttl': this.expiresAt(change.placedAt ?? change.at),
            ...(change.total !== undefined ? { ':total': change.total } : {}),
            ...placing.values,
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      if (change.placedAt) {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: `SET ${placing.set.slice(2)}, expiresAt = :ttl`,
            ExpressionAttributeValues: { ...placing.values, ':ttl': this.expiresAt(change.placedAt) },
          }),
        );
      }
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
        ...(typeof i['channel'] === 'string' ? { channel: i['channel'] } : {}),
        ...(typeof i['partnerId'] === 'string' ? { partnerId: i['partnerId'] } : {}),
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
