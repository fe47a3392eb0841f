import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRepository, TransactionConflictError, type WriteOp } from '@order-platform/aws-adapters';
import type { DomainEvent, OrderPlacedV1, OrderRejectedV1 } from '@order-platform/contracts';
import type { Order } from '../domain/order';
import type { CreateResult, IdempotencyRecord, OrderRepository } from '../application/ports';

const orderKey = (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' });
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** The stored item of an order: by id, by customer (`gsi1`), and all orders by time (`gsi2`, for admins). */
function toItem(order: Order) {
  return {
    ...orderKey(order.orderId),
    kind: 'order',
    gsi1pk: `CUSTOMER#${order.customerId}`,
    gsi1sk: `${order.createdAt}#${order.orderId}`,
    gsi2pk: 'ORDERS',
    gsi2sk: `${order.createdAt}#${order.orderId}`,
    ...order,
  };
}

function fromItem(item: Record<string, unknown>): Order {
  const { pk: _pk, sk: _sk, kind: _kind, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...order } = item;
  return order as unknown as Order;
}

/** Orders in the pedidos table: `ORDER#<id>` items, `IDEMPOTENCY#<key>` records, and outbox records. */
export class DynamoDbOrderRepository extends DynamoDbRepository implements OrderRepository {
  constructor(client: DynamoDBDocumentClient, tableName: string) {
    super(client, tableName);
  }

  async create(
    order: Order,
    event: OrderPlacedV1 | OrderRejectedV1,
    idempotency?: IdempotencyRecord,
  ): Promise<CreateResult> {
    const writes: WriteOp[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: toItem(order),
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
            // A partner's reference names its order for ever; a customer's key lasts a day.
            ...(idempotency.permanent
              ? {}
              : { expiresAt: Math.floor(Date.parse(order.createdAt) / 1000) + IDEMPOTENCY_TTL_SECONDS }),
          },
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
    const item = await this.getItem<Record<string, unknown>>(orderKey(orderId).pk, orderKey(orderId).sk);
    return item ? fromItem(item) : undefined;
  }

  async update(order: Order, events: DomainEvent[]): Promise<boolean> {
    try {
      await this.transactWithOutbox(
        [
          {
            Put: {
              TableName: this.tableName,
              Item: toItem(order),
              ConditionExpression: 'revision = :previous',
              ExpressionAttributeValues: { ':previous': order.revision - 1 },
            },
          },
        ],
        events,
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionConflictError && error.reasons[0] !== 'None') return false;
      throw error;
    }
  }

  async linkInvoice(orderId: string, invoice: { invoiceId: string; number: number }): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: orderKey(orderId),
        UpdateExpression: 'SET invoice = :invoice',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':invoice': invoice },
      }),
    );
  }

  async list(filter: { customerId?: string; status?: string }, limit: number, nextToken?: string) {
    const byCustomer = filter.customerId !== undefined;
    const { items, lastKey } = await this.query<Record<string, unknown>>({
      IndexName: byCustomer ? 'gsi1' : 'gsi2',
      KeyConditionExpression: byCustomer ? 'gsi1pk = :pk' : 'gsi2pk = :pk',
      ExpressionAttributeValues: {
        ':pk': byCustomer ? `CUSTOMER#${filter.customerId}` : 'ORDERS',
        ...(filter.status ? { ':status': filter.status } : {}),
      },
      ...(filter.status
        ? { FilterExpression: '#s = :status', ExpressionAttributeNames: { '#s': 'status' } }
        : {}),
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: nextToken
        ? JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8'))
        : undefined,
    });
    return {
      items: items.map(fromItem),
      nextToken: lastKey ? Buffer.from(JSON.stringify(lastKey)).toString('base64url') : undefined,
    };
  }
}
