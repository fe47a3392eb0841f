import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRepository } from '@order-platform/aws-adapters';
import type { Partner, PartnerRegistry } from '../application/ports';

/** Partners in the pedidos table, `PARTNER#<apiKeyId>`; their orders through `IDEMPOTENCY#PARTNER#<id>#<ref>`. */
export class DynamoDbPartnerRegistry extends DynamoDbRepository implements PartnerRegistry {
  constructor(client: DynamoDBDocumentClient, tableName: string) {
    super(client, tableName);
  }

  async byApiKey(apiKeyId: string): Promise<Partner | undefined> {
    const item = await this.getItem<Partner & Record<string, unknown>>(`PARTNER#${apiKeyId}`, 'PARTNER');
    if (!item) return undefined;
    const { partnerId, name, status, customerId, email } = item;
    return { partnerId, name, status, customerId, email, apiKeyId };
  }

  async orderFor(partnerId: string, partnerOrderRef: string): Promise<string | undefined> {
    const item = await this.getItem<{ orderId: string }>(
      `IDEMPOTENCY#PARTNER#${partnerId}#${partnerOrderRef}`,
      'IDEMPOTENCY',
    );
    return item?.orderId;
  }
}
