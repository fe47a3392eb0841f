import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRepository, TransactionConflictError } from '@order-platform/aws-adapters';
import type { ProductCreatedV1, ProductUpdatedV1 } from '@order-platform/contracts';
import type { Product } from '../domain/product';
import type { CatalogWriter } from '../application/catalog-ports';
import { toProduct } from './dynamodb-product.repository';

const productKey = (id: string) => ({ pk: `PRODUCT#${id}`, sk: 'PRODUCT' });

/** The catalog item of a product, as every reader (list, reservation) expects it. */
export function productItem(p: Product) {
  return {
    ...productKey(p.productId),
    kind: 'product',
    gsi1pk: 'CATALOG',
    gsi1sk: p.productId,
    productId: p.productId,
    sku: p.sku,
    name: p.name,
    description: p.description,
    price: p.price,
    currency: p.currency,
    onHand: p.stock.onHand,
    reserved: p.stock.reserved,
    available: p.stock.onHand - p.stock.reserved,
    updatedAt: p.updatedAt,
  };
}

/** Admin writes to the catalog table; a `SKU#<sku>` item keeps SKUs unique. */
export class DynamoDbCatalogWriter extends DynamoDbRepository implements CatalogWriter {
  constructor(client: DynamoDBDocumentClient, tableName: string) {
    super(client, tableName);
  }

  async get(productId: string): Promise<Product | undefined> {
    const item = await this.getItem<Record<string, unknown>>(productKey(productId).pk, 'PRODUCT');
    return item ? toProduct(item) : undefined;
  }

  async create(product: Product, event: ProductCreatedV1): Promise<boolean> {
    try {
      await this.transactWithOutbox(
        [
          {
            Put: {
              TableName: this.tableName,
              Item: productItem(product),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: { pk: `SKU#${product.sku}`, sk: 'SKU', kind: 'sku', productId: product.productId },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
        [event],
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionConflictError) return false;
      throw error;
    }
  }

  async updateDetails(product: Product, event: ProductUpdatedV1): Promise<boolean> {
    try {
      await this.transactWithOutbox(
        [
          {
            Update: {
              TableName: this.tableName,
              Key: productKey(product.productId),
              UpdateExpression: 'SET #n = :name, description = :description, price = :price, updatedAt = :at',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#n': 'name' },
              ExpressionAttributeValues: {
                ':name': product.name,
                ':description': product.description,
                ':price': product.price,
                ':at': product.updatedAt,
              },
            },
          },
        ],
        [event],
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionConflictError) return false;
      throw error;
    }
  }

  async adjust(
    productId: string,
    delta: number,
    event: ProductUpdatedV1,
  ): Promise<'done' | 'not-found' | 'below-zero'> {
    try {
      await this.transactWithOutbox(
        [
          {
            Update: {
              TableName: this.tableName,
              Key: productKey(productId),
              UpdateExpression: 'SET onHand = onHand + :d, available = available + :d, updatedAt = :at',
              ConditionExpression: 'attribute_exists(pk) AND available >= :floor',
              ExpressionAttributeValues: {
                ':d': delta,
                ':floor': Math.max(0, -delta),
                ':at': new Date().toISOString(),
              },
            },
          },
        ],
        [event],
      );
      return 'done';
    } catch (error) {
      if (!(error instanceof TransactionConflictError)) throw error;
      return (await this.get(productId)) ? 'below-zero' : 'not-found';
    }
  }
}
