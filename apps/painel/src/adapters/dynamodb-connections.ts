import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { FeedFilter } from '../domain/dashboard';
import type { Connection, Connections } from '../application/ports';

/** A connection lives at most two hours in API Gateway; its record expires with it (TTL on `expiresAt`). */
export const CONNECTION_TTL_SECONDS = 2 * 3600;

/** The connections table: `CONN#<connectionId>` / `CONN`, with the admin, the filter and the TTL. */
export class DynamoDbConnections implements Connections {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  private key(connectionId: string) {
    return { pk: `CONN#${connectionId}`, sk: 'CONN' };
  }

  async add(c: Connection): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...this.key(c.connectionId),
          ...c,
          connectedAt: new Date(this.now()).toISOString(),
          expiresAt: Math.floor(this.now() / 1000) + CONNECTION_TTL_SECONDS,
        },
      }),
    );
  }

  async remove(connectionId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: this.key(connectionId) }));
  }

  async setFilter(connectionId: string, filter: FeedFilter | undefined): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(connectionId),
        UpdateExpression: filter ? 'SET #filter = :filter' : 'REMOVE #filter',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#filter': 'filter' },
        ExpressionAttributeValues: filter ? { ':filter': filter } : undefined,
      }),
    );
  }

  async get(connectionId: string): Promise<Connection | undefined> {
    const { Item: i } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: this.key(connectionId) }),
    );
    if (!i) return undefined;
    return {
      connectionId: i['connectionId'] as string,
      userId: i['userId'] as string,
      email: i['email'] as string | undefined,
    };
  }

  async all(): Promise<Connection[]> {
    const out: Connection[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    const nowSeconds = Math.floor(this.now() / 1000);
    do {
      const page = await this.client.send(new ScanCommand({ TableName: this.tableName, ExclusiveStartKey }));
      for (const i of page.Items ?? []) {
        // TTL deletion lags: an expired record is a closed connection already.
        if (typeof i['expiresAt'] === 'number' && i['expiresAt'] < nowSeconds) continue;
        out.push({
          connectionId: i['connectionId'] as string,
          userId: i['userId'] as string,
          email: i['email'] as string | undefined,
          filter: i['filter'] as FeedFilter | undefined,
          ...(typeof i['tokenExpiresAt'] === 'number' ? { tokenExpiresAt: i['tokenExpiresAt'] } : {}),
        });
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }
}
