import { TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRepository } from '@order-platform/aws-adapters';
import type { Partner, PartnerRegistry } from '../application/ports';

/**
 * Partners in the pedidos table: `PARTNER#<apiKeyId>` (how the intake finds them), a pointer
 * `PARTNERID#<partnerId>` that keeps ids unique, and their orders through `IDEMPOTENCY#PARTNER#<id>#<ref>`.
 */
export class DynamoDbPartnerRegistry extends DynamoDbRepository implements PartnerRegistry {
  constructor(client: DynamoDBDocumentClient, tableName: string) {
    super(client, tableName);
  }

  async byApiKey(apiKeyId: string): Promise<Partner | undefined> {
    const item = await this.getItem<Partner & Record<string, unknown>>(`PARTNER#${apiKeyId}`, 'PARTNER');
    if (!item) return undefined;
    // The record is the partner plus its keys; older records (the seeded demo) lack the optional fields.
    const { pk: _pk, sk: _sk, kind: _kind, ...partner } = item;
    return { ...partner, apiKeyId } as Partner;
  }

  async byId(partnerId: string): Promise<Partner | undefined> {
    const pointer = await this.getItem<{ apiKeyId: string }>(`PARTNERID#${partnerId}`, 'PARTNERID');
    return pointer ? this.byApiKey(pointer.apiKeyId) : undefined;
  }

  async register(partner: Partner): Promise<boolean> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: `PARTNERID#${partner.partnerId}`, sk: 'PARTNERID', apiKeyId: partner.apiKeyId },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: `PARTNER#${partner.apiKeyId}`, sk: 'PARTNER', kind: 'partner', ...partner },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'TransactionCanceledException') return false;
      throw error;
    }
  }

  async setStatus(partner: Partner, status: Partner['status']): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `PARTNER#${partner.apiKeyId}`, sk: 'PARTNER' },
        UpdateExpression: 'SET #status = :status',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status },
      }),
    );
  }

  async orderFor(partnerId: string, partnerOrderRef: string): Promise<string | undefined> {
    const item = await this.getItem<{ orderId: string }>(
      `IDEMPOTENCY#PARTNER#${partnerId}#${partnerOrderRef}`,
      'IDEMPOTENCY',
    );
    return item?.orderId;
  }
}
