import type { DomainEvent } from '@order-platform/contracts';
import { newEvent } from '@order-platform/contracts';
import type { Product } from '../domain/product';
import type { PricedLine, Reservation } from '../domain/reservation';
import { commitStock, releaseStock, reserveStock } from './manage-stock.use-case';
import type { StockLedger, WriteOutcome } from './stock-ports';

/** In-memory ledger with the same conditions as the DynamoDB one (available >= quantity, one record per order). */
class InMemoryLedger implements StockLedger {
  stock = new Map<string, { onHand: number; reserved: number; price: number }>();
  reservations = new Map<string, Reservation>();
  events: DomainEvent[] = [];
  /** Simulates a concurrent order taking stock just before our write, once. */
  stealBeforeNextWrite?: { productId: string; quantity: number };
  /** The next n writes collide with a concurrent transaction (DynamoDB's TransactionConflict). */
  conflicts = 0;
  /** The next reserve is refused by the store as invalid (a ValidationException). */
  invalidNextReserve = false;
  /** Runs once between a release's read and its write: another delivery of the same order gets there first. */
  beforeNextRelease?: () => Promise<unknown>;

  async products(ids: string[]) {
    const out = new Map<string, Product>();
    for (const id of ids) {
      const s = this.stock.get(id);
      if (s) {
        out.set(id, {
          productId: id,
          sku: id,
          name: id,
          description: '',
          price: s.price,
          currency: 'BRL',
          stock: { onHand: s.onHand, reserved: s.reserved },
          updatedAt: '',
        });
      }
    }
    return out;
  }
  /** Reads of an order's reservation. */
  reservationReads = 0;
  async reservation(orderId: string) {
    this.reservationReads += 1;
    return this.reservations.get(orderId);
  }
  async reserve(orderId: string, items: PricedLine[], event: DomainEvent): Promise<WriteOutcome> {
    if (this.invalidNextReserve) {
      this.invalidNextReserve = false;
      return 'invalid';
    }
    if (this.stealBeforeNextWrite) {
      this.stock.get(this.stealBeforeNextWrite.productId)!.reserved += this.stealBeforeNextWrite.quantity;
      this.stealBeforeNextWrite = undefined;
    }
    if (this.reservations.has(orderId)) return 'duplicate';
    if (
      items.some((l) => {
        const s = this.stock.get(l.productId)!;
        return s.onHand - s.reserved < l.quantity;
      })
    )
      return 'conflict';
    for (const l of items) this.stock.get(l.productId)!.reserved += l.quantity;
    this.reservations.set(orderId, { orderId, status: 'RESERVED', items });
    this.events.push(event);
    return 'done';
  }
  async refuse(orderId: string, event: DomainEvent): Promise<WriteOutcome> {
    if (this.reservations.has(orderId)) return 'duplicate';
    this.reservations.set(orderId, { orderId, status: 'FAILED', items: [] });
    this.events.push(event);
    return 'done';
  }
  async release(
    orderId: string,
    reservation: Reservation | undefined,
    event: DomainEvent,
  ): Promise<WriteOutcome> {
    const concurrent = this.beforeNextRelease;
    this.beforeNextRelease = undefined;
    await concurrent?.();
    if (this.conflicts-- > 0) return 'conflict';
    // The store's conditions: a tombstone only where there is no record, a release only of a held reservation.
    if (!reservation && this.reservations.has(orderId)) return 'duplicate';
    if (reservation && this.reservations.get(orderId)?.status !== 'RESERVED') return 'duplicate';
    if (!reservation) this.reservations.set(orderId, { orderId, status: 'CANCELLED', items: [] });
    else {
      for (const l of reservation.items) this.stock.get(l.productId)!.reserved -= l.quantity;
      this.reservations.set(orderId, { ...reservation, status: 'RELEASED' });
    }
    this.events.push(event);
    return 'done';
  }
  async commit(orderId: string, reservation: Reservation): Promise<WriteOutcome> {
    if (this.conflicts-- > 0) return 'conflict';
    if (this.reservations.get(orderId)?.status !== 'RESERVED') return 'duplicate';
    for (const l of reservation.items) {
      const s = this.stock.get(l.productId)!;
      s.onHand -= l.quantity;
      s.reserved -= l.quantity;
    }
    this.reservations.set(orderId, { ...reservation, status: 'COMMITTED' });
    return 'done';
  }
  async restock(orderId: string, reservation: Reservation, event: DomainEvent): Promise<WriteOutcome> {
    if (this.conflicts-- > 0) return 'conflict';
    if (this.reservations.get(orderId)?.status !== 'COMMITTED') return 'duplicate';
    for (const l of reservation.items) this.stock.get(l.productId)!.onHand += l.quantity;
    this.reservations.set(orderId, { ...reservation, status: 'RETURNED' });
    this.events.push(event);
    return 'done';
  }
}

const placed = (orderId: string) =>
  newEvent(
    'OrderPlaced',
    'pedidos',
    { orderId, customerId: 'c', channel: 'api', items: [{ productId: 'a', quantity: 1 }] },
    { correlationId: `corr-${orderId}` },
  );

function ledger() {
  const l = new InMemoryLedger();
  l.stock.set('a', { onHand: 5, reserved: 0, price: 300 });
  l.stock.set('b', { onHand: 1, reserved: 0, price: 700 });
  return l;
}

describe('reserveStock', () => {
  it('reserves all lines with catalog prices and publishes StockReserved with the correlation id', async () => {
    // Prepare
    const l = ledger();
    // Act
    const outcome = await reserveStock({ ledger: l }, placed('o1'), 'o1', [
      { productId: 'a', quantity: 2 },
      { productId: 'b', quantity: 1 },
    ]);
    // Assess
    expect(outcome).toBe('reserved');
    expect(l.stock.get('a')!.reserved).toBe(2);
    expect(l.events[0]).toMatchObject({
      type: 'StockReserved',
      correlationId: 'corr-o1',
      data: {
        orderId: 'o1',
        items: [
          { productId: 'a', quantity: 2, unitPrice: 300, sku: 'a', name: 'a' },
          { productId: 'b', quantity: 1, unitPrice: 700, sku: 'b', name: 'b' },
        ],
      },
    });
  });

  it('refuses all or nothing: one short line leaves every product untouched', async () => {
    // Prepare
    const l = ledger();
    // Act
    const outcome = await reserveStock({ ledger: l }, placed('o1'), 'o1', [
      { productId: 'a', quantity: 2 },
      { productId: 'b', quantity: 2 },
    ]);
    // Assess
    expect(outcome).toBe('refused');
    expect([l.stock.get('a')!.reserved, l.stock.get('b')!.reserved]).toEqual([0, 0]);
    expect(l.events[0]).toMatchObject({
      type: 'StockReservationFailed',
      data: { unavailable: [{ productId: 'b', requested: 2, available: 1 }] },
    });
  });

  it('re-reads and refuses when a concurrent order took the last units first', async () => {
    // Prepare
    const l = ledger();
    l.stealBeforeNextWrite = { productId: 'b', quantity: 1 };
    // Act
    const outcome = await reserveStock({ ledger: l }, placed('o1'), 'o1', [{ productId: 'b', quantity: 1 }]);
    // Assess
    expect(outcome).toBe('refused');
    expect(l.stock.get('b')!.reserved).toBe(1);
  });

  it('does nothing on a duplicate delivery', async () => {
    // Prepare
    const l = ledger();
    await reserveStock({ ledger: l }, placed('o1'), 'o1', [{ productId: 'a', quantity: 2 }]);
    // Act
    const again = await reserveStock({ ledger: l }, placed('o1'), 'o1', [{ productId: 'a', quantity: 2 }]);
    // Assess
    expect(again).toBe('duplicate');
    expect(l.stock.get('a')!.reserved).toBe(2);
    expect(l.events).toHaveLength(1);
  });

  it('reads no reservation on a first delivery, and tells a duplicate by its write even when stock ran out since', async () => {
    // Prepare: the order took the last two units the first time.
    const l = ledger();
    const first = await reserveStock({ ledger: l }, placed('o1'), 'o1', [{ productId: 'a', quantity: 2 }]);
    const readsFirst = l.reservationReads;
    l.stock.get('a')!.reserved = l.stock.get('a')!.onHand;
    // Act: delivered again, it would now be refused if it were new.
    const again = await reserveStock({ ledger: l }, placed('o1'), 'o1', [{ productId: 'a', quantity: 2 }]);
    // Assess
    expect([first, again]).toEqual(['reserved', 'duplicate']);
    expect(readsFirst).toBe(0);
    expect(l.events.map((e) => e.type)).toEqual(['StockReserved']);
    expect(l.reservations.get('o1')!.status).toBe('RESERVED');
  });
});

describe('releaseStock and commitStock', () => {
  it('releases a reservation once, and a cancel before any reservation blocks a late one', async () => {
    // Prepare
    const l = ledger();
    await reserveStock({ ledger: l }, placed('o1'), 'o1', [{ productId: 'a', quantity: 2 }]);
    // Act
    await releaseStock({ ledger: l }, placed('o1'), 'o1');
    await releaseStock({ ledger: l }, placed('o1'), 'o1');
    await releaseStock({ ledger: l }, placed('o2'), 'o2');
    const late = await reserveStock({ ledger: l }, placed('o2'), 'o2', [{ productId: 'a', quantity: 1 }]);
    // Assess
    expect(l.stock.get('a')!.reserved).toBe(0);
    expect(late).toBe('duplicate');
  });

  it('commits a reservation: the units leave on-hand stock', async () => {
    // Prepare
    const l = ledger();
    await reserveStock({ ledger: l }, placed('o1'), 'o1', [{ productId: 'a', quantity: 2 }]);
    // Act
    await commitStock({ ledger: l }, 'o1');
    await commitStock({ ledger: l }, 'o1');
    // Assess
    expect(l.stock.get('a')).toEqual({ onHand: 3, reserved: 0, price: 300 });
  });

  it('returns sold units to stock once when a completed order is withdrawn from, whichever event comes first', async () => {
    // Prepare: o1 is sold then withdrawn; o2's withdrawal overtakes its OrderCompleted.
    const l = ledger();
    await reserveStock({ ledger: l }, placed('o1'), 'o1', [{ productId: 'a', quantity: 2 }]);
    await reserveStock({ ledger: l }, placed('o2'), 'o2', [{ productId: 'a', quantity: 1 }]);
    await commitStock({ ledger: l }, 'o1');
    // Act
    l.conflicts = 2;
    const returned = await releaseStock({ ledger: l }, placed('o1'), 'o1');
    const again = await releaseStock({ ledger: l }, placed('o1'), 'o1');
    await releaseStock({ ledger: l }, placed('o2'), 'o2');
    const lateCommit = await commitStock({ ledger: l }, 'o2');
    // Assess
    expect([returned, again, lateCommit]).toEqual(['done', 'duplicate', 'duplicate']);
    expect(l.stock.get('a')).toEqual({ onHand: 5, reserved: 0, price: 300 });
    expect(l.reservations.get('o1')!.status).toBe('RETURNED');
    expect(l.events.filter((e) => e.type === 'StockReleased').map((e) => e.data)).toEqual([
      { orderId: 'o1', items: [{ productId: 'a', quantity: 2 }] },
      { orderId: 'o2', items: [{ productId: 'a', quantity: 1 }] },
    ]);
  });

  it('retries a release and a commit that collide with a concurrent write until they are applied', async () => {
    // Prepare
    const l = ledger();
    await reserveStock({ ledger: l }, placed('o1'), 'o1', [{ productId: 'a', quantity: 2 }]);
    await reserveStock({ ledger: l }, placed('o2'), 'o2', [{ productId: 'a', quantity: 1 }]);
    l.conflicts = 3;
    // Act
    const released = await releaseStock({ ledger: l }, placed('o1'), 'o1');
    l.conflicts = 2;
    const committed = await commitStock({ ledger: l }, 'o2');
    // Assess
    expect([released, committed]).toEqual(['done', 'done']);
    expect(l.stock.get('a')).toEqual({ onHand: 4, reserved: 0, price: 300 });
    expect(l.events.at(-1)).toMatchObject({ type: 'StockReleased', data: { orderId: 'o1' } });
  });

  it('throws (the message is retried later) rather than acknowledge a conflict that persists', async () => {
    // Prepare
    const l = ledger();
    await reserveStock({ ledger: l }, placed('o1'), 'o1', [{ productId: 'a', quantity: 2 }]);
    l.conflicts = 1000;
    // Act + Assess
    await expect(releaseStock({ ledger: l }, placed('o1'), 'o1')).rejects.toThrow(/contention/);
    expect(l.stock.get('a')!.reserved).toBe(2);
  });
});

describe('orders the store cannot reserve as they stand', () => {
  it('refuses an order that names one product on two lines, with the reason', async () => {
    // Prepare
    const l = ledger();
    // Act
    const outcome = await reserveStock({ ledger: l }, placed('o1'), 'o1', [
      { productId: 'a', quantity: 1 },
      { productId: 'a', quantity: 2 },
    ]);
    // Assess
    expect(outcome).toBe('refused');
    expect(l.stock.get('a')!.reserved).toBe(0);
    expect(l.events[0]).toMatchObject({
      type: 'StockReservationFailed',
      data: {
        reason: expect.stringMatching(/names a on more than one line/),
        unavailable: [{ productId: 'a', requested: 3, available: 5 }],
      },
    });
  });

  it('turns a write the store refuses as invalid into StockReservationFailed, never an endless retry', async () => {
    // Prepare
    const l = ledger();
    l.invalidNextReserve = true;
    // Act
    const outcome = await reserveStock({ ledger: l }, placed('o1'), 'o1', [{ productId: 'a', quantity: 1 }]);
    // Assess
    expect(outcome).toBe('refused');
    expect(l.events[0]).toMatchObject({
      type: 'StockReservationFailed',
      data: { reason: expect.any(String) },
    });
    expect(l.reservations.get('o1')!.status).toBe('FAILED');
  });
});

describe('a cancel racing the same order', () => {
  it('releases a reservation made between its read and its write (the cancel overtook its own placement)', async () => {
    // Prepare: the release reads no reservation; the placement reserves before the release writes its tombstone.
    const l = ledger();
    l.beforeNextRelease = () =>
      reserveStock({ ledger: l }, placed('o-race'), 'o-race', [{ productId: 'a', quantity: 2 }]);
    // Act
    const outcome = await releaseStock({ ledger: l }, placed('o-race'), 'o-race');
    // Assess: nothing left held.
    expect(outcome).toBe('done');
    expect(l.reservations.get('o-race')?.status).toBe('RELEASED');
    expect(l.stock.get('a')).toMatchObject({ onHand: 5, reserved: 0 });
  });

  it("returns sold units when the completion was committed between the withdrawal's read and its write", async () => {
    // Prepare: reserved; the withdrawal reads RESERVED, then the completion commits before its write.
    const l = ledger();
    await reserveStock({ ledger: l }, placed('o-late'), 'o-late', [{ productId: 'a', quantity: 1 }]);
    l.beforeNextRelease = () => commitStock({ ledger: l }, 'o-late');
    // Act
    const outcome = await releaseStock({ ledger: l }, placed('o-late'), 'o-late');
    // Assess: sold, then returned on hand.
    expect(outcome).toBe('done');
    expect(l.reservations.get('o-late')?.status).toBe('RETURNED');
    expect(l.stock.get('a')).toMatchObject({ onHand: 5, reserved: 0 });
  });
});
