import type { DomainEvent, OrderPlacedV1, OrderRejectedV1 } from '@order-platform/contracts';
import type { Order } from '../domain/order';

export interface IdempotencyRecord {
  /** Kept for ever (a partner's order reference); other keys expire after 24 hours. */
  permanent?: boolean;
  /** Caller-scoped key: the customer's `Idempotency-Key` header (or a partner's order reference). */
  key: string;
  /** Hash of the request body: the same key with another body is a conflict. */
  fingerprint: string;
}

export type CreateResult = { created: true } | { created: false; orderId: string; fingerprint: string };

/** Where orders live. Each write records its events in the same transaction (outbox). */
export interface OrderRepository {
  create(
    order: Order,
    event: OrderPlacedV1 | OrderRejectedV1,
    idempotency?: IdempotencyRecord,
  ): Promise<CreateResult>;
  get(orderId: string): Promise<Order | undefined>;
  /**
   * Stores a new state of the order on condition that nobody changed it since revision `order.revision - 1`
   * (optimistic lock), with its events. Returns false when someone did: re-read and decide again.
   */
  update(order: Order, events: DomainEvent[]): Promise<boolean>;
  linkInvoice(orderId: string, invoice: { invoiceId: string; number: number }): Promise<void>;
  list(
    filter: { customerId?: string; status?: string },
    limit: number,
    nextToken?: string,
  ): Promise<{ items: Order[]; nextToken?: string }>;
}

export type PaymentResult = { status: 'approved'; chargeId: string } | { status: 'declined'; reason: string };

/** Charges a card token or bills a partner account; idempotent per order (a second charge for the same order returns the first result). */
export interface PaymentGateway {
  charge(request: ChargeRequest): Promise<PaymentResult>;
  /**
   * Gives back what was charged for the order, idempotent per order: `refunded` when money had been taken
   * (now or by an earlier call), `not-charged` when there was nothing to give back.
   */
  refund(request: RefundRequest): Promise<RefundResult>;
}

/** One order's charge: its amount in integer cents, by card token or to the partner's account. */
export interface ChargeRequest {
  orderId: string;
  amount: number;
  currency: 'BRL';
  method: 'card' | 'account';
  token: string;
}

export interface RefundRequest {
  orderId: string;
  method: 'card' | 'account';
  /** The token charged, while the order still holds it (a charge not yet recorded on the order). */
  token?: string;
  /** The charge, when the order recorded it. */
  chargeId?: string;
  amount?: number;
}

export type RefundResult = { status: 'refunded'; refundId: string } | { status: 'not-charged' };

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends a customer e-mail once per key (the event id): a second call with the same key sends nothing. */
export interface Mailer {
  sendOnce(key: string, message: EmailMessage): Promise<'sent' | 'duplicate'>;
}

/** A partner's usage plan: `standard` (10 000 requests a day) or `trial` (100 a day). */
export type PartnerPlan = 'standard' | 'trial';

export interface Partner {
  partnerId: string;
  plan?: PartnerPlan;
  name: string;
  status: 'ACTIVE' | 'DISABLED';
  /** The customer account the partner's orders belong to. */
  customerId: string;
  email?: string;
  apiKeyId: string;
  /** Where the order's final status is posted (signed with `callbackSecret`), if the partner wants it. */
  callbackUrl?: string;
  callbackSecret?: string;
  /** Who is invoiced: legal name, CNPJ and address. */
  billing?: { legalName: string; taxId: string; address?: string };
  createdAt?: string;
}

/** The partner registry, keyed by the API key API Gateway authenticated. */
export interface PartnerRegistry {
  byApiKey(apiKeyId: string): Promise<Partner | undefined>;
  byId(partnerId: string): Promise<Partner | undefined>;
  /** Stores a new partner; `false` (and nothing stored) when its id is taken. */
  register(partner: Partner): Promise<boolean>;
  setStatus(partner: Partner, status: Partner['status']): Promise<void>;
  /** The order a partner's reference made, if any. */
  orderFor(partnerId: string, partnerOrderRef: string): Promise<string | undefined>;
}

/** Posts a partner's callback; throws when it is not taken (non-2xx, timeout), so the message is retried. */
export interface PartnerCallbacks {
  deliver(url: string, secret: string, deliveryId: string, body: unknown): Promise<void>;
}

/** Partners' API keys in API Gateway, bound to the partners' usage plan. */
export interface PartnerKeys {
  /** A new enabled key in the tier's usage plan; its value is returned here and never stored. */
  issue(name: string, plan: PartnerPlan): Promise<{ apiKeyId: string; apiKey: string }>;
  /** API Gateway refuses a disabled key (403) before anything else runs. */
  disable(apiKeyId: string): Promise<void>;
  /** Deletes a key (cleanup when its partner could not be stored). */
  revoke(apiKeyId: string): Promise<void>;
}
