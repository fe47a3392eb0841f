import { available, type Product } from './product';

export interface Line {
  productId: string;
  quantity: number;
}

export interface PricedLine extends Line {
  unitPrice: number;
  /** The product as sold: its SKU and name at the time of the reservation (for invoices). */
  sku?: string;
  name?: string;
  /** Available stock left once this line is reserved, as read when the reservation was planned. */
  availableAfter?: number;
}

export interface Unavailable {
  productId: string;
  requested: number;
  available: number;
}

/** What happened to an order's stock: reserved, refused, then committed (sold) or released; sold, then returned. */
export type ReservationStatus = 'RESERVED' | 'FAILED' | 'COMMITTED' | 'RELEASED' | 'CANCELLED' | 'RETURNED';

export interface Reservation {
  orderId: string;
  status: ReservationStatus;
  items: PricedLine[];
}

export type ReservationPlan =
  { ok: true; items: PricedLine[] } | { ok: false; unavailable: Unavailable[]; reason?: string };

/**
 * Decides a reservation for all lines at once: every line must be served from available stock, or the
 * whole order is refused with the lines that cannot be. Prices come from the catalog (authoritative).
 */
export function planReservation(lines: Line[], products: Map<string, Product>): ReservationPlan {
  // One product on two lines cannot be written in one transaction: refused with the reason, never retried.
  const counted = new Map<string, number>();
  for (const line of lines) counted.set(line.productId, (counted.get(line.productId) ?? 0) + 1);
  const twice = [...counted].filter(([, n]) => n > 1).map(([id]) => id);
  if (twice.length) {
    return {
      ok: false,
      reason: `The order names ${twice.join(', ')} on more than one line`,
      unavailable: twice.map((productId) => {
        const product = products.get(productId);
        return {
          productId,
          requested: lines.filter((l) => l.productId === productId).reduce((n, l) => n + l.quantity, 0),
          available: product ? available(product) : 0,
        };
      }),
    };
  }
  const unavailable: Unavailable[] = [];
  const items: PricedLine[] = [];
  for (const line of lines) {
    const product = products.get(line.productId);
    const free = product ? available(product) : 0;
    if (!product || free < line.quantity) {
      unavailable.push({ productId: line.productId, requested: line.quantity, available: free });
    } else {
      items.push({
        ...line,
        unitPrice: product.price,
        sku: product.sku,
        name: product.name,
        availableAfter: free - line.quantity,
      });
    }
  }
  return unavailable.length ? { ok: false, unavailable } : { ok: true, items };
}
