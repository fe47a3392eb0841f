import type { Buyer, DeliveryAddress } from '@order-platform/contracts';

/**
 * Order lifecycle: RECEIVED → PROCESSING → COMPLETED, or REJECTED (no stock), or CANCELLED; a COMPLETED
 * order may still be withdrawn from (→ CANCELLED, refunded) within the withdrawal period.
 */
export const ORDER_STATUSES = ['RECEIVED', 'PROCESSING', 'COMPLETED', 'REJECTED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type OrderTrigger =
  | 'StockReserved'
  | 'StockReservationFailed'
  | 'PaymentApproved'
  | 'PaymentDeclined'
  | 'CustomerCancelled'
  | 'CustomerWithdrew';

/**
 * Where the order's money stands: PENDING until charged, CAPTURED once taken, DECLINED when refused,
 * REFUNDED when taken and given back (an order cancelled during or after the charge), VOIDED when the
 * order ended before any charge (cancelled early, rejected). AUTHORIZED is for providers that authorize
 * and capture in two steps.
 */
export const PAYMENT_STATUSES = [
  'PENDING',
  'AUTHORIZED',
  'CAPTURED',
  'DECLINED',
  'REFUNDED',
  'VOIDED',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * A card token (customers) or the partner's account (B2B orders are invoiced to the partner). The token is
 * kept only while the charge is open: once the payment is settled (captured, declined, refunded or voided)
 * the order no longer holds it; a refund goes by the charge.
 */
export type Payment = ({ method: 'card'; token?: string } | { method: 'account'; token?: string }) & {
  status?: PaymentStatus;
  chargeId?: string;
};

/** The payment status of an order, for orders stored before the status was recorded. */
export function paymentStatusOf(order: Pick<Order, 'payment' | 'status'>): PaymentStatus {
  if (order.payment.status) return order.payment.status;
  if (order.status === 'COMPLETED') return 'CAPTURED';
  if (order.status === 'REJECTED') return 'VOIDED';
  return 'PENDING';
}

/** Whether money may have been taken for the order: it reached PROCESSING and was not refunded or declined. */
export function mayHoldCharge(order: Order): boolean {
  const status = paymentStatusOf(order);
  return (
    (status === 'PENDING' || status === 'AUTHORIZED' || status === 'CAPTURED') &&
    order.statusHistory.some((s) => s.status === 'PROCESSING')
  );
}

/** The order with its payment at `status`; a settled payment drops the token it was charged with. */
export function withPayment(order: Order, status: PaymentStatus, chargeId?: string): Order {
  const { token, ...kept } = order.payment;
  const open = status === 'PENDING' || status === 'AUTHORIZED';
  return {
    ...order,
    payment: { ...kept, ...(open && token ? { token } : {}), status, ...(chargeId ? { chargeId } : {}) },
  };
}

export interface OrderLine {
  productId: string;
  quantity: number;
  /** Integer cents, set when produtos reserves the stock (authoritative price). */
  unitPrice?: number;
  /** The product's SKU and name as sold, set with the price. */
  sku?: string;
  name?: string;
}

/** Where the order goes (a customer's shipping address, a partner's store) and who pays: the shared shapes. */
export type { Buyer, DeliveryAddress };

export interface StatusChange {
  status: OrderStatus;
  at: string;
  reason?: string;
}

/** Where an order came in: the REST API, a B2B partner, or the legacy database (seed 004). */
export type OrderChannel = 'api' | 'partner' | 'legacy';

export interface Order {
  orderId: string;
  customerId: string;
  customerEmail?: string;
  channel: OrderChannel;
  partnerId?: string;
  /** The partner's own reference for the order (partner channel). */
  partnerOrderRef?: string;
  /** The order's number in the legacy database it came from (legacy channel: `erp.pedidos.numero`). */
  externalRef?: string;
  items: OrderLine[];
  payment: Payment;
  deliveryAddress?: DeliveryAddress;
  buyer?: Buyer;
  status: OrderStatus;
  total?: number;
  currency: 'BRL';
  statusHistory: StatusChange[];
  correlationId: string;
  createdAt: string;
  /** Optimistic-lock counter: every transition is written on the condition that it is unchanged. */
  revision: number;
  invoice?: { invoiceId: string; number: number };
}

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: OrderStatus,
    readonly trigger: OrderTrigger,
  ) {
    super(`An order in ${from} cannot take ${trigger}`);
    this.name = 'InvalidTransitionError';
  }
}

/** The transition table: from a status, which trigger leads where. Anything absent is refused. */
export const TRANSITIONS: Readonly<Record<OrderStatus, Partial<Record<OrderTrigger, OrderStatus>>>> = {
  RECEIVED: {
    StockReserved: 'PROCESSING',
    StockReservationFailed: 'REJECTED',
    CustomerCancelled: 'CANCELLED',
  },
  PROCESSING: { PaymentApproved: 'COMPLETED', PaymentDeclined: 'CANCELLED', CustomerCancelled: 'CANCELLED' },
  COMPLETED: { CustomerWithdrew: 'CANCELLED' },
  REJECTED: {},
  CANCELLED: {},
};

/** Where the pipeline ends; a COMPLETED order can only be withdrawn from by its customer (or an admin). */
export const FINAL_STATUSES: readonly OrderStatus[] = ['COMPLETED', 'REJECTED', 'CANCELLED'];
export const isFinal = (status: OrderStatus): boolean => FINAL_STATUSES.includes(status);

/**
 * Days after completion during which the customer may withdraw from an order and get the money back: the
 * "direito de arrependimento" of the Brazilian consumer code (CDC art. 49) for purchases made online.
 */
export const WITHDRAWAL_PERIOD_DAYS = 7;

/** When a completed order stops being withdrawable; undefined for an order that did not complete. */
export function withdrawalEndsAt(order: Pick<Order, 'status' | 'statusHistory'>): Date | undefined {
  if (order.status !== 'COMPLETED') return undefined;
  const completed = [...order.statusHistory].reverse().find((s) => s.status === 'COMPLETED');
  if (!completed) return undefined;
  return new Date(Date.parse(completed.at) + WITHDRAWAL_PERIOD_DAYS * 86_400_000);
}

export function canTake(order: Pick<Order, 'status'>, trigger: OrderTrigger): boolean {
  return TRANSITIONS[order.status][trigger] !== undefined;
}

/** Applies a trigger and returns the new order; an impossible transition throws and changes nothing. */
export function transition(order: Order, trigger: OrderTrigger, at: Date, reason?: string): Order {
  const next = TRANSITIONS[order.status][trigger];
  if (!next) throw new InvalidTransitionError(order.status, trigger);
  return {
    ...order,
    status: next,
    revision: order.revision + 1,
    statusHistory: [
      ...order.statusHistory,
      { status: next, at: at.toISOString(), ...(reason ? { reason } : {}) },
    ],
  };
}

/** Sum of priced lines in cents; every line must carry its unit price. */
export function orderTotal(items: OrderLine[]): number {
  return items.reduce((sum, line) => {
    if (line.unitPrice === undefined) throw new Error(`Line ${line.productId} has no price yet`);
    return sum + line.unitPrice * line.quantity;
  }, 0);
}

/** What an order is received with; the lifecycle fields (status, history, revision...) are the domain's. */
export type NewOrder = Omit<
  Order,
  'status' | 'total' | 'currency' | 'statusHistory' | 'createdAt' | 'revision' | 'invoice'
>;

export function receiveOrder(input: NewOrder, at: Date): Order {
  return {
    ...input,
    payment: { ...input.payment, status: 'PENDING' },
    status: 'RECEIVED',
    currency: 'BRL',
    statusHistory: [{ status: 'RECEIVED', at: at.toISOString() }],
    createdAt: at.toISOString(),
    revision: 0,
  };
}
