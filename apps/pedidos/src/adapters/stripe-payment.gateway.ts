import Stripe from 'stripe';
import type {
  ChargeRequest,
  PaymentGateway,
  PaymentResult,
  RefundRequest,
  RefundResult,
} from '../application/ports';

export interface StripeGatewayOptions {
  /** The secret API key, fetched once per sandbox (Secrets Manager in AWS) and never logged. */
  secretKey: () => Promise<string>;
  /** Where the API is: a local fake in tests; Stripe itself by default. */
  endpoint?: { host: string; port: number; protocol: 'http' | 'https' };
  /** Per request; the SDK retries network failures and 5xx with the same idempotency key. */
  timeoutMs?: number;
  maxNetworkRetries?: number;
}

/**
 * Card payments through Stripe PaymentIntents (Brazil, BRL). Each charge is created and confirmed at once
 * with the order id as idempotency key (`charge-<orderId>`), so a retried or redelivered charge never
 * charges twice; refunds are idempotent per order the same way. Partner orders (`account`) are invoiced,
 * not charged by card. A decline is an answer, not an error; anything else (timeouts, throttling, 5xx)
 * throws, so the message is retried with the same keys.
 */
export class StripePaymentGateway implements PaymentGateway {
  private client?: Promise<Stripe>;

  constructor(private readonly options: StripeGatewayOptions) {}

  private stripe(): Promise<Stripe> {
    this.client ??= this.options.secretKey().then(
      (key) =>
        new Stripe(key, {
          timeout: this.options.timeoutMs ?? 8000,
          maxNetworkRetries: this.options.maxNetworkRetries ?? 2,
          telemetry: false,
          ...(this.options.endpoint ?? {}),
        }),
    );
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }

  async charge(request: ChargeRequest): Promise<PaymentResult> {
    if (request.method === 'account')
      return { status: 'approved', chargeId: `acct_${request.token}_${request.orderId}` };
    const stripe = await this.stripe();
    try {
      const intent = await stripe.paymentIntents.create(
        {
          amount: request.amount,
          currency: request.currency.toLowerCase(),
          payment_method: request.token,
          confirm: true,
          capture_method: 'automatic',
          // Server-side and asynchronous: no redirect-based methods, no customer to send anywhere.
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          metadata: { orderId: request.orderId },
          description: `Order ${request.orderId}`,
        },
        { idempotencyKey: `charge-${request.orderId}` },
      );
      if (intent.status === 'succeeded') return { status: 'approved', chargeId: intent.id };
      return { status: 'declined', reason: `payment ${intent.status.replace(/_/g, ' ')}` };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError)
        return { status: 'declined', reason: error.decline_code ?? error.code ?? 'card declined' };
      throw error;
    }
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    if (request.method === 'account')
      return { status: 'refunded', refundId: `acct_refund_${request.orderId}` };
    const stripe = await this.stripe();
    let intentId = request.chargeId?.startsWith('pi_') ? request.chargeId : undefined;
    if (!intentId) {
      // The charge may have gone through without the order recording it (a crash): find it by order.
      const found = await stripe.paymentIntents.search({ query: `metadata['orderId']:'${request.orderId}'` });
      intentId = found.data.find((i) => i.status === 'succeeded')?.id;
    }
    if (!intentId) return { status: 'not-charged' };
    const intent = await stripe.paymentIntents.retrieve(intentId);
    if (intent.status !== 'succeeded') return { status: 'not-charged' };
    const refund = await stripe.refunds.create(
      { payment_intent: intentId, metadata: { orderId: request.orderId } },
      { idempotencyKey: `refund-${request.orderId}` },
    );
    return { status: 'refunded', refundId: refund.id };
  }
}
