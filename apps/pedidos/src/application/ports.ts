import type { OrderPlacedV1 } from '@order-platform/contracts';
import type { Order } from '../domain/order';

export interface IdempotencyRecord {
  /** Caller-scoped key: the customer's `Idempotency-Key` header (or a partner's order reference). */
  key: string;
  /** Hash of the request body: the same key with another body is a conflict. */
  fingerprint: string;
}

export type CreateResult = { created: true } | { created: false; orderId: string; fingerprint: string };

/** Where orders live. Each write records its events in the same transaction (outbox). */
export interface OrderRepository {
  create(order: Order, event: OrderPlacedV1, idempotency?: IdempotencyRecord): Promise<CreateResult>;
  get(orderId: string): Promise<Order | undefined>;
}
