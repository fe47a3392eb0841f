import { newEvent, type DomainEvent } from '@order-platform/contracts';
import { planReservation, type Line, type Unavailable } from '../domain/reservation';
import type { StockLedger, WriteOutcome } from './stock-ports';

const MAX_ATTEMPTS = 25;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class StockContentionError extends Error {
  constructor(readonly orderId: string) {
    super(`Could not reserve stock for ${orderId}: contention persisted after ${MAX_ATTEMPTS} attempts`);
    this.name = 'StockContentionError';
  }
}

const trace = (cause: DomainEvent) => ({ correlationId: cause.correlationId, causationId: cause.id });

/**
 * Reserves stock for an order, all lines or none:
 * 1. reads the products and plans the reservation;
 * 2. refused: records the failure with StockReservationFailed;
 * 3. possible: decrements available stock on condition it still suffices, with StockReserved and the prices;
 * 4. either write records the order's reservation on condition there is none: an existing one (reserved,
 *    refused or a cancel tombstone) means the order was handled, and nothing is written (a duplicate);
 * 5. a condition lost to a concurrent order: back to 1 (the stock is re-read, never oversold), after
 *    checking that the order itself was not handled meanwhile.
 * A first delivery, the common case, reads no reservation: the write's condition tells a duplicate.
 */
export async function reserveStock(
  deps: { ledger: StockLedger },
  cause: DomainEvent,
  orderId: string,
  lines: Line[],
) {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (attempt > 1 && (await deps.ledger.reservation(orderId))) return 'duplicate' as const;
    const plan = planReservation(lines, await deps.ledger.products(lines.map((l) => l.productId)));
    const refuse = (unavailable: Unavailable[], reason?: string) =>
      deps.ledger.refuse(
        orderId,
        newEvent(
          'StockReservationFailed',
          'produtos',
          { orderId, unavailable, ...(reason ? { reason } : {}) },
          trace(cause),
        ),
      );
    let outcome = plan.ok
      ? await deps.ledger.reserve(
          orderId,
          plan.items,
          newEvent('StockReserved', 'produtos', { orderId, items: plan.items }, trace(cause)),
        )
      : await refuse(plan.unavailable, plan.reason);
    if (outcome === 'invalid' && plan.ok) {
      // The store will never take this reservation as it stands: the order is refused, not retried for ever.
      outcome = await refuse(
        plan.items.map((l) => ({ productId: l.productId, requested: l.quantity, available: 0 })),
        'The stock reservation was refused by the store as invalid',
      );
      if (outcome === 'done') return 'refused' as const;
    }
    if (outcome === 'invalid')
      throw new Error(`The refusal of ${orderId}'s reservation was refused as invalid`);
    if (outcome === 'duplicate') return 'duplicate' as const;
    if (outcome !== 'conflict') return plan.ok ? ('reserved' as const) : ('refused' as const);
    // Lost a race for the same units: back off a little, with jitter, before re-reading.
    await pause(Math.random() * 10 * attempt);
  }
  throw new StockContentionError(orderId);
}

/**
 * Reads the order's reservation, decides, and writes, until the write is applied or the reading shows there
 * is nothing left to do (`settled`). A write that collided with a concurrent transaction, or whose
 * reservation moved since it was read (`duplicate` from the store: a concurrent reserve, release or commit
 * of the same order got there first), is decided again from a fresh read: never acknowledged as is, or the
 * units would stay reserved (or sold) for ever. Throws after the attempts, so the message returns to the
 * queue and is tried again later.
 */
async function untilApplied(
  orderId: string,
  decideAndWrite: () => Promise<WriteOutcome | 'settled'>,
): Promise<'done' | 'duplicate'> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const outcome = await decideAndWrite();
    if (outcome === 'done') return 'done';
    if (outcome === 'settled') return 'duplicate';
    if (outcome === 'invalid') throw new Error(`The stock write of ${orderId} was refused as invalid`);
    await pause(Math.random() * 10 * attempt);
  }
  throw new StockContentionError(orderId);
}

/**
 * Releases an order's stock when it is cancelled: reserved lines go back to available stock; sold lines (a
 * withdrawal after completion) go back on hand; if nothing was reserved yet a tombstone keeps a late
 * OrderPlaced from reserving. A second delivery changes nothing; a write that collides with a concurrent one
 * is re-read and retried until applied.
 */
export async function releaseStock(deps: { ledger: StockLedger }, cause: DomainEvent, orderId: string) {
  return untilApplied(orderId, async () => {
    const reservation = await deps.ledger.reservation(orderId);
    const items = reservation?.items.map(({ productId, quantity }) => ({ productId, quantity })) ?? [];
    const released = newEvent('StockReleased', 'produtos', { orderId, items }, trace(cause));
    if (reservation?.status === 'COMMITTED') return deps.ledger.restock(orderId, reservation, released);
    if (reservation && reservation.status !== 'RESERVED') return 'settled' as const;
    return deps.ledger.release(orderId, reservation, released);
  });
}

/** Commits an order's reservation when it completes: the units leave the shelf. Idempotent, retried until applied. */
export async function commitStock(deps: { ledger: StockLedger }, orderId: string) {
  return untilApplied(orderId, async () => {
    const reservation = await deps.ledger.reservation(orderId);
    if (!reservation || reservation.status !== 'RESERVED') return 'settled' as const;
    return deps.ledger.commit(orderId, reservation);
  });
}
