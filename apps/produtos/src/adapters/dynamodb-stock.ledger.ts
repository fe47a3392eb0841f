import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbRepository, TransactionConflictError, type WriteOp } from '@order-platform/aws-adapters';
import type { StockReleasedV1, StockReservationFailedV1, StockReservedV1 } from '@order-platform/contracts';
import type { Product } from '../domain/product';
import type { PricedLine, Reservation } from '../domain/reservation';
import type { StockLedger, WriteOutcome } from '../application/stock-ports';
import { toProduct } from './dynamodb-product.repository';

const productKey = (id: string) => ({ pk: `PRODUCT#${id}`, sk: 'PRODUCT' });
const reservationKey = (orderId: string) => ({ pk: `RESERVATION#${orderId}`, sk: 'RESERVATION' });

/**
 * Stock in the catalog table. Each product item carries `onHand`, `reserved` and `available`
 * (= onHand - reserved, kept in step by every write) so a reservation can be conditioned on
 * `available >= quantity`: DynamoDB conditions cannot do arithmetic.
 */
export class DynamoDbStockLedger extends DynamoDbRepository implements StockLedger {
  constructor(client: DynamoDBDocumentClient, tableName: string) {
    super(client, tableName);
  }

  async products(ids: string[]): Promise<Map<string, Product>> {
    const unique = [...new Set(ids)];
    const found = new Map<string, Product>();
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map(productKey);
      while (keys?.length) {
        const res = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of res.Responses?.[this.tableName] ?? []) {
          const product = toProduct(item);
          found.set(product.productId, product);
        }
        keys = res.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return found;
  }

  async reservation(orderId: string): Promise<Reservation | undefined> {
    const item = await this.getItem<Reservation & Record<string, unknown>>(
      reservationKey(orderId).pk,
      reservationKey(orderId).sk,
    );
    return item ? { orderId: item.orderId, status: item.status, items: item.items ?? [] } : undefined;
  }

  async reserve(orderId: string, items: PricedLine[], event: StockReservedV1): Promise<WriteOutcome> {
    const writes: WriteOp[] = items.map((line) => ({
      Update: {
        TableName: this.tableName,
        Key: productKey(line.productId),
        UpdateExpression: 'SET available = available - :q, reserved = reserved + :q',
        ConditionExpression: 'available >= :q',
        ExpressionAttributeValues: { ':q': line.quantity },
      },
    }));
    writes.push(this.newReservation(orderId, 'RESERVED', items));
    return this.write(writes, event, items.length);
  }

  refuse(orderId: string, event: StockReservationFailedV1): Promise<WriteOutcome> {
    return this.write([this.newReservation(orderId, 'FAILED', [])], event, 0);
  }

  release(
    orderId: string,
    reservation: Reservation | undefined,
    event: StockReleasedV1,
  ): Promise<WriteOutcome> {
    if (!reservation) return this.write([this.newReservation(orderId, 'CANCELLED', [])], event, 0);
    const writes: WriteOp[] = reservation.items.map((line) => ({
      Update: {
        TableName: this.tableName,
        Key: productKey(line.productId),
        UpdateExpression: 'SET available = available + :q, reserved = reserved - :q',
        ExpressionAttributeValues: { ':q': line.quantity },
      },
    }));
    writes.push(this.moveReservation(orderId, 'RESERVED', 'RELEASED'));
    return this.write(writes, event, writes.length - 1);
  }

  commit(orderId: string, reservation: Reservation): Promise<WriteOutcome> {
    const writes: WriteOp[] = reservation.items.map((line) => ({
      Update: {
        TableName: this.tableName,
        Key: productKey(line.productId),
        UpdateExpression: 'SET onHand = onHand - :q, reserved = reserved - :q',
        ExpressionAttributeValues: { ':q': line.quantity },
      },
    }));
    writes.push(this.moveReservation(orderId, 'RESERVED', 'COMMITTED'));
    return this.write(writes, undefined, writes.length - 1);
  }

  restock(orderId: string, reservation: Reservation, event: StockReleasedV1): Promise<WriteOutcome> {
    const writes: WriteOp[] = reservation.items.map((line) => ({
      Update: {
        TableName: this.tableName,
        Key: productKey(line.productId),
        UpdateExpression: 'SET onHand = onHand + :q, available = available + :q',
        ExpressionAttributeValues: { ':q': line.quantity },
      },
    }));
    writes.push(this.moveReservation(orderId, 'COMMITTED', 'RETURNED'));
    return this.write(writes, event, writes.length - 1);
  }

  private newReservation(orderId: string, status: Reservation['status'], items: PricedLine[]): WriteOp {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...reservationKey(orderId),
          kind: 'reservation',
          orderId,
          status,
          items,
          updatedAt: new Date().toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private moveReservation(orderId: string, from: Reservation['status'], to: Reservation['status']): WriteOp {
    return {
      Update: {
        TableName: this.tableName,
        Key: reservationKey(orderId),
        UpdateExpression: 'SET #s = :to, updatedAt = :now',
        ConditionExpression: '#s = :from',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':to': to, ':from': from, ':now': new Date().toISOString() },
      },
    };
  }

  /** Runs the transaction; the reservation write at `reservationIndex` tells a duplicate from a stock conflict. */
  private async write(
    writes: WriteOp[],
    event: StockReservedV1 | StockReservationFailedV1 | StockReleasedV1 | undefined,
    reservationIndex: number,
  ) {
    try {
      await this.transactWithOutbox(writes, event ? [event] : []);
      return 'done' as const;
    } catch (error) {
      if ((error as { name?: string }).name === 'ValidationException') return 'invalid' as const;
      if (!(error instanceof TransactionConflictError)) throw error;
      if (error.reasons[reservationIndex] === 'ConditionalCheckFailed') return 'duplicate' as const;
      return 'conflict' as const;
    }
  }
}
