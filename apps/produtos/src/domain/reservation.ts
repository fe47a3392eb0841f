import { available, type Product } from './product';

export interface Line {
  productId: string;
  quantity: number;
}

export interface PricedLine extends Line {
  unitPrice: number;
  /** Available stock left once this line is reserved, as read when the reservation was planned. */
  availableAfter?: number;
}

export interface Unavailable {
  productId: string;
  requested: number;
  available: number;
}

/** What happened to an order's stock: reserved, refused, then committed (sold) or released. */
export type ReservationStatus = 'RESERVED' | 'FAILED' | 'COMMITTED' | 'RELEASED' | 'CANCELLED';

export interface Reservation {
  orderId: string;
  status: ReservationStatus;
  items: PricedLine[];
}

export type ReservationPlan = { ok: true; items: PricedLine[] } | { ok: false; unavailable: Unavailable[] };

/**
 * Decides a reservation for all lines at once: every line must be served from available stock, or the
 * whole order is refused with the lines that cannot be. Prices come from the catalog (authoritative).
 */
export function planReservation(lines: Line[], products: Map<string, Product>): ReservationPlan {
  const unavailable: Unavailable[] = [];
  const items: PricedLine[] = [];
  for (const line of lines) {
    const product = products.get(line.productId);
    const free = product ? available(product) : 0;
    if (!product || free < line.quantity) {
      unavailable.push({ productId: line.productId, requested: line.quantity, available: free });
    } else {
      items.push({ ...line, unitPrice: product.price, availableAfter: free - line.quantity });
    }
  }
  return unavailable.length ? { ok: false, unavailable } : { ok: true, items };
}
