import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodePageToken, DynamoDbRepository, encodePageToken } from '@order-platform/aws-adapters';
import type { Product } from '../domain/product';
import type { ProductPage, ProductRepository } from '../application/ports';

/**
 * Catalog items `PRODUCT#<id>`, listed in id order through the `gsi1` index (`gsi1pk = CATALOG`). The index
 * holds keys only: every stock move rewrites a product, and an index that copied it would be written (and
 * billed) again at each reservation; a page of keys is followed by one batch read of its products, whose
 * stock is then the table's, not the index's lagging copy.
 */
export class DynamoDbProductRepository extends DynamoDbRepository implements ProductRepository {
  constructor(client: DynamoDBDocumentClient, tableName: string) {
    super(client, tableName);
  }

  async get(productId: string): Promise<Product | undefined> {
    const item = await this.getItem<Record<string, unknown>>(`PRODUCT#${productId}`, 'PRODUCT', false);
    return item ? toProduct(item) : undefined;
  }

  async list(limit: number, nextToken?: string): Promise<ProductPage> {
    const { items: keys, lastKey } = await this.query<{ pk: string; sk: string }>({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :catalog',
      ExpressionAttributeValues: { ':catalog': 'CATALOG' },
      Limit: limit,
      ExclusiveStartKey: nextToken
        ? decodePageToken(nextToken, ['pk', 'sk', 'gsi1pk', 'gsi1sk'], { gsi1pk: 'CATALOG' })
        : undefined,
    });
    // A product deleted between the two reads is left out (the batch read keeps the index's order).
    const items = await this.batchGet<Record<string, unknown>>(keys);
    return { items: items.map(toProduct), nextToken: lastKey ? encodePageToken(lastKey) : undefined };
  }
}

/** A catalog item as a Product; stock lives in the flat `onHand` and `reserved` attributes. */
export function toProduct(item: Record<string, unknown>): Product {
  const { productId, sku, name, description, price, currency, updatedAt } = item as unknown as Product;
  const stock = { onHand: Number(item['onHand'] ?? 0), reserved: Number(item['reserved'] ?? 0) };
  return { productId, sku, name, description, price, currency, stock, updatedAt };
}
