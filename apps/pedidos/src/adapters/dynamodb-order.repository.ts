import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRepository, TransactionConflictError } from '@order-platform/aws-adapters';
import type { OrderPlacedV1 } from '@order-platform/contracts';
import type { Order } from '../domain/order';
import type { CreateResult, IdempotencyRecord, OrderRepository } from '../application/ports';

const orderKey = (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' });
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** Orders in the pedidos table: `ORDER#<id>` items, `IDEMPOTENCY#<key>` records, and outbox records. */
export class DynamoDbOrderRepository extends DynamoDbRepository implements OrderRepository {
  constructor(client: DynamoDBDocumentClient, tableName: string) {
    super(client, tableName);
  }

  async create(order: Order, event: OrderPlacedV1, idempotency?: IdempotencyRecord): Promise<CreateResult> {
    const writes = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...orderKey(order.orderId),
            kind: 'order',
            gsi1pk: `CUSTOMER#${order.customerId}`,
            gsi1sk: `${order.createdAt}#${order.orderId}`,
            ...order,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (idempotency) {
      writes.push({
        Put: {
          TableName: this.tableName,
          Item: {
            pk: `IDEMPOTENCY#${idempotency.key}`,
            sk: 'IDEMPOTENCY',
            kind: 'idempotency',
            orderId: order.orderId,
            fingerprint: idempotency.fingerprint,
            expiresAt: Math.floor(Date.parse(order.createdAt) / 1000) + IDEMPOTENCY_TTL_SECONDS,
          } as never,
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    try {
      await this.transactWithOutbox(writes, [event]);
      return { created: true };
    } catch (error) {
      if (
        idempotency &&
        error instanceof TransactionConflictError &&
        error.reasons[1] === 'ConditionalCheckFailed'
      ) {
        const record = await this.getItem<{ orderId: string; fingerprint: string }>(
          `IDEMPOTENCY#${idempotency.key}`,
          'IDEMPOTENCY',
        );
        if (record) return { created: false, orderId: record.orderId, fingerprint: record.fingerprint };
      }
      throw error;
    }
  }

  async get(orderId: string): Promise<Order | undefined> {
    const item = await this.getItem<Order & Record<string, unknown>>(
      orderKey(orderId).pk,
      orderKey(orderId).sk,
    );
    if (!item) return undefined;
    const { pk: _pk, sk: _sk, kind: _kind, gsi1pk: _g1, gsi1sk: _g2, ...order } = item;
    return order as Order;
  }
}
