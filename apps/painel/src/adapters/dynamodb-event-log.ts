import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FeedEntry } from '../domain/feed-entry';
import type { EventLog } from '../application/ports';

const RETENTION_SECONDS = 24 * 3600;

/** Feed entries `EVENT#<id>` in the painel table, indexed by time on `gsi1` and kept for 24 hours (TTL). */
export class DynamoDbEventLog implements EventLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: FeedEntry): Promise<'recorded' | 'duplicate'> {
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
            expiresAt: Math.floor(Date.parse(entry.occurredAt) / 1000) + RETENTION_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'recorded';
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return 'duplicate';
      throw error;
    }
  }
}
