import type { StockReleasedV1, StockReservationFailedV1, StockReservedV1 } from '@order-platform/contracts';
import type { Product } from '../domain/product';
import type { Line, PricedLine, Reservation } from '../domain/reservation';

export type WriteOutcome = 'done' | 'duplicate' | 'conflict' | 'invalid';

/**
 * Stock and reservations. Each write is one transaction with its outbox event; `conflict` means a
 * product's available stock changed under us (retry with fresh reads), `duplicate` that the order's
 * reservation record already exists (nothing to do), `invalid` that the store refused the write as such
 * (a request it can never accept: retrying changes nothing).
 */
export interface StockLedger {
  products(ids: string[]): Promise<Map<string, Product>>;
  reservation(orderId: string): Promise<Reservation | undefined>;
  reserve(orderId: string, items: PricedLine[], event: StockReservedV1): Promise<WriteOutcome>;
  refuse(orderId: string, event: StockReservationFailedV1): Promise<WriteOutcome>;
  /** Returns reserved stock to available; a tombstone when nothing was reserved yet (a later reserve is skipped). */
  release(
    orderId: string,
    reservation: Reservation | undefined,
    event: StockReleasedV1,
  ): Promise<WriteOutcome>;
  /** Sold: reserved stock leaves on-hand stock. */
  commit(orderId: string, reservation: Reservation): Promise<WriteOutcome>;
  /** A sale withdrawn from: committed units return on hand and available (COMMITTED → RETURNED). */
  restock(orderId: string, reservation: Reservation, event: StockReleasedV1): Promise<WriteOutcome>;
}

export type { Line };
