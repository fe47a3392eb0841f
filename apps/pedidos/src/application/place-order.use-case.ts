import { newEvent } from '@order-platform/contracts';
import {
  receiveOrder,
  type Buyer,
  type DeliveryAddress,
  type Order,
  type OrderChannel,
  type OrderLine,
  type Payment,
} from '../domain/order';
import type { PlaceOrderRequest } from '../domain/order-request';
import type { OrderRepository } from './ports';

export class IdempotencyConflictError extends Error {
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used with another request`);
    this.name = 'IdempotencyConflictError';
  }
}

export interface PlaceOrderInput {
  customerId: string;
  customerEmail?: string;
  request: PlaceOrderRequest;
  idempotencyKey?: string;
  correlationId: string;
}

export interface PlaceOrderDeps {
  orders: OrderRepository;
  newId: () => string;
  now: () => Date;
}

export interface AdmitOrderInput {
  customerId: string;
  customerEmail?: string;
  channel: OrderChannel;
  partnerId?: string;
  partnerOrderRef?: string;
  externalRef?: string;
  items: { productId: string; quantity: number }[];
  payment: Payment;
  deliveryAddress?: DeliveryAddress;
  buyer?: Buyer;
  /** Caller-scoped key: `<customerId>#<Idempotency-Key>` or `PARTNER#<partnerId>#<partnerOrderRef>`. */
  idempotencyKey?: string;
  /** The key never expires (a partner's order reference); a customer's Idempotency-Key lasts 24 hours. */
  permanentKey?: boolean;
  /** What the key must always come with: a second use with other content is a conflict. */
  fingerprintOf: unknown;
  correlationId: string;
}

/**
 * Takes an order in, fast, for any channel:
 * 1. fingerprints the request (for idempotent replays);
 * 2. builds the order as RECEIVED and its OrderPlaced event;
 * 3. stores both in one transaction (the stream publishes the event);
 * 4. on a replayed key returns the order it made the first time, or refuses other content with a conflict.
 */
export async function admitOrder(
  deps: PlaceOrderDeps,
  input: AdmitOrderInput,
): Promise<{ order: Order; replayed: boolean }> {
  const fingerprint = await sha256(JSON.stringify(canonical(input.fingerprintOf)));
  const orderId = deps.newId();
  const order = receiveOrder(
    {
      orderId,
      customerId: input.customerId,
      customerEmail: input.customerEmail,
      channel: input.channel,
      ...(input.partnerId ? { partnerId: input.partnerId } : {}),
      ...(input.partnerOrderRef ? { partnerOrderRef: input.partnerOrderRef } : {}),
      ...(input.externalRef ? { externalRef: input.externalRef } : {}),
      items: input.items.map(({ productId, quantity }) => ({ productId, quantity })),
      payment: input.payment,
      ...(input.deliveryAddress ? { deliveryAddress: input.deliveryAddress } : {}),
      ...(input.buyer ? { buyer: input.buyer } : {}),
      correlationId: input.correlationId,
    },
    deps.now(),
  );
  const event = newEvent(
    'OrderPlaced',
    'pedidos',
    {
      orderId,
      customerId: order.customerId,
      customerEmail: order.customerEmail,
      channel: input.channel,
      ...(input.partnerId ? { partnerId: input.partnerId } : {}),
      ...(input.externalRef ? { externalRef: input.externalRef } : {}),
      items: order.items.map(({ productId, quantity }) => ({ productId, quantity })),
      ...(input.deliveryAddress ? { deliveryAddress: input.deliveryAddress } : {}),
    },
    { correlationId: input.correlationId },
    deps.now(),
  );
  const idempotency = input.idempotencyKey
    ? { key: input.idempotencyKey, fingerprint, ...(input.permanentKey ? { permanent: true } : {}) }
    : undefined;
  const result = await deps.orders.create(order, event, idempotency);
  if (result.created) return { order, replayed: false };
  if (result.fingerprint !== fingerprint) throw new IdempotencyConflictError(input.idempotencyKey!);
  const existing = await deps.orders.get(result.orderId);
  if (!existing) throw new Error(`Order ${result.orderId} named by an idempotency record is missing`);
  return { order: existing, replayed: true };
}

/** What a channel knows of an entry it cannot admit: the order's identity fields, and why. */
export type RejectedOrderInput = Pick<
  AdmitOrderInput,
  | 'customerId'
  | 'customerEmail'
  | 'channel'
  | 'partnerId'
  | 'partnerOrderRef'
  | 'externalRef'
  | 'correlationId'
> & {
  items: OrderLine[];
  payment: Pick<Payment, 'method' | 'token'>;
  reason: string;
  /** The channel's permanent key (`PARTNER#...`, `LEGACY#...`): the same entry twice is rejected once. */
  idempotencyKey: string;
};

/**
 * Stores an entry that cannot become an order as a REJECTED order with its reason (and OrderRejected),
 * under the channel's permanent key, once: nothing a channel hands over is dropped without a trace.
 */
export async function storeRejectedOrder(
  deps: PlaceOrderDeps,
  input: RejectedOrderInput,
): Promise<{ created: boolean; order?: Order }> {
  const now = deps.now().toISOString();
  const orderId = deps.newId();
  const { reason, idempotencyKey, payment, ...rest } = input;
  const order: Order = {
    orderId,
    ...rest,
    payment: { ...payment, status: 'VOIDED' } as Payment,
    status: 'REJECTED',
    currency: 'BRL',
    statusHistory: [
      { status: 'RECEIVED', at: now },
      { status: 'REJECTED', at: now, reason },
    ],
    createdAt: now,
    revision: 1,
  };
  const event = newEvent(
    'OrderRejected',
    'pedidos',
    { orderId, customerId: order.customerId, reason: reason.slice(0, 1000), channel: order.channel },
    { correlationId: input.correlationId },
  );
  const result = await deps.orders.create(order, event, {
    key: idempotencyKey,
    fingerprint: 'rejected',
    permanent: true,
  });
  return result.created ? { created: true, order } : { created: false };
}

/** A customer's order from the REST API: the customer comes from the token, the key is scoped to them. */
export async function placeOrder(
  deps: PlaceOrderDeps,
  input: PlaceOrderInput,
): Promise<{ order: Order; replayed: boolean }> {
  const admitted = admitOrder(deps, {
    customerId: input.customerId,
    customerEmail: input.customerEmail,
    channel: 'api',
    items: input.request.items,
    payment: input.request.payment,
    ...(input.request.shippingAddress ? { deliveryAddress: input.request.shippingAddress } : {}),
    ...(input.customerEmail ? { buyer: { email: input.customerEmail } } : {}),
    idempotencyKey: input.idempotencyKey ? `${input.customerId}#${input.idempotencyKey}` : undefined,
    fingerprintOf: input.request,
    correlationId: input.correlationId,
  });
  // The key is stored scoped to the customer; the conflict names the key as the caller sent it.
  return admitted.catch((error: unknown) => {
    throw error instanceof IdempotencyConflictError
      ? new IdempotencyConflictError(input.idempotencyKey!)
      : error;
  });
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

async function sha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Buffer.from(digest).toString('hex');
}
