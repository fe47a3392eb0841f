import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  decodePageToken,
  DynamoDbRepository,
  encodePageToken,
  TransactionConflictError,
  type WriteOp,
} from '@order-platform/aws-adapters';
import type { DomainEvent, OrderPlacedV1, OrderRejectedV1 } from '@order-platform/contracts';
import type { Order } from '../domain/order';
import type { CreateResult, IdempotencyRecord, OrderRepository } from '../application/ports';

const orderKey = (orderId: string) => ({ pk: `ORDER#${orderId}`, sk: 'ORDER' });
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/**
 * The stored item of an order: by id, by customer (`gsi1`), all orders by time (`gsi2`, for admins) and
 * orders by status and time (`gsi3`, for admins' `?status=`: full pages, no filter after the limit).
 */
function toItem(order: Order) {
  const byTime = `${order.createdAt}#${order.orderId}`;
  return {
    ...orderKey(order.orderId),
    kind: 'order',
    gsi1pk: `CUSTOMER#${order.customerId}`,
    gsi1sk: byTime,
    gsi2pk: 'ORDERS',
    gsi2sk: byTime,
    gsi3pk: `STATUS#${order.status}`,
    gsi3sk: byTime,
    ...order,
  };
}

function fromItem(item: Record<string, unknown>): Order {
  const {
    pk: _pk,
    sk: _sk,
    kind: _kind,
    gsi1pk: _a,
    gsi1sk: _b,
    gsi2pk: _c,
    gsi2sk: _d,
    gsi3pk: _e,
    gsi3sk: _f,
    ...order
  } = item;
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

  /**
   * A customer's orders (`gsi1`), every order (`gsi2`) or, for admins, every order of one status (`gsi3`),
   * newest first. A customer's filter by status reads their own orders only, so it filters in the query.
   */
  async list(filter: { customerId?: string; status?: string }, limit: number, nextToken?: string) {
    const index =
      filter.customerId !== undefined
        ? { name: 'gsi1', pk: `CUSTOMER#${filter.customerId}` }
        : filter.status
          ? { name: 'gsi3', pk: `STATUS#${filter.status}` }
          : { name: 'gsi2', pk: 'ORDERS' };
    const keyNames = ['pk', 'sk', `${index.name}pk`, `${index.name}sk`];
    let start: Record<string, unknown> | undefined = nextToken
      ? decodePageToken(nextToken, keyNames, { [`${index.name}pk`]: index.pk })
      : undefined;
    const found: Record<string, unknown>[] = [];
    // A filtered read may return fewer items than asked: read on (a few pages at most) to fill the page.
    // The indexes hold keys only: each page of keys is followed by one batch read of its orders, which are
    // then current (an order that left the asked status since the index saw it is left out).
    for (let pages = 0; pages < 10; pages++) {
      const { items: keys, lastKey } = await this.query<{ pk: string; sk: string }>({
        IndexName: index.name,
        KeyConditionExpression: `${index.name}pk = :pk`,
        ExpressionAttributeValues: { ':pk': index.pk },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: start,
      });
      const items = await this.batchGet<Record<string, unknown>>(keys);
      found.push(...items.filter((item) => !filter.status || item['status'] === filter.status));
      start = lastKey;
      if (!start || found.length >= limit) break;
    }
    const page = found.slice(0, limit);
    // Resume after the last item returned (not after the last one read, which may lie beyond it).
    const resumeAt =
      found.length > limit || (found.length === limit && start)
        ? Object.fromEntries(keyNames.map((k) => [k, page.at(-1)![k]]))
        : start;
    return {
      items: page.map(fromItem),
      nextToken: resumeAt ? encodePageToken(resumeAt) : undefined,
    };
  }
}
