// The Stripe adapter, through the official SDK, against a local fake of Stripe's API.
import { startFakeStripe } from './testing/fake-stripe';
import { StripePaymentGateway } from './stripe-payment.gateway';

let stripe: Awaited<ReturnType<typeof startFakeStripe>>;
beforeAll(async () => {
  stripe = await startFakeStripe(1500);
});
afterAll(() => stripe.stop());

const gateway = (options: { timeoutMs?: number; maxNetworkRetries?: number } = {}) => {
  let reads = 0;
  const g = new StripePaymentGateway({
    secretKey: async () => {
      reads++;
      return 'sk_test_fake';
    },
    endpoint: stripe.endpoint,
    ...options,
  });
  return { g, reads: () => reads };
};
const charge = (orderId: string, token: string) => ({
  orderId,
  amount: 4980,
  currency: 'BRL' as const,
  method: 'card' as const,
  token,
});

describe('StripePaymentGateway', () => {
  it('approves a good card with the PaymentIntent as the charge, reading the secret once', async () => {
    // Prepare
    const { g, reads } = gateway();
    // Act
    const first = await g.charge(charge('o-ok', 'pm_card_visa'));
    const again = await g.charge(charge('o-ok', 'pm_card_visa'));
    // Assess
    expect(first).toEqual({ status: 'approved', chargeId: expect.stringMatching(/^pi_/) });
    expect(again).toEqual(first);
    expect(stripe.charges().filter((c) => c.metadata['orderId'] === 'o-ok')).toHaveLength(1);
    expect(stripe.requests.filter((r) => r.idempotencyKey === 'charge-o-ok').length).toBe(2);
    expect(reads()).toBe(1);
  });

  it('answers a declined card as a decline, not an error', async () => {
    // Act
    const result = await gateway().g.charge(charge('o-declined', 'pm_card_chargeDeclined'));
    // Assess
    expect(result).toEqual({ status: 'declined', reason: 'generic_decline' });
  });

  it('charges once when the answer times out and the charge is tried again with the same key', async () => {
    // Prepare: the client gives up before the fake answers, and does not retry by itself.
    const impatient = gateway({ timeoutMs: 300, maxNetworkRetries: 0 }).g;
    // Act
    const timedOut = await impatient.charge(charge('o-slow', 'pm_card_slow')).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 1600));
    const retried = await gateway().g.charge(charge('o-slow', 'pm_card_slow'));
    // Assess
    expect(timedOut).toBeInstanceOf(Error);
    expect(retried.status).toBe('approved');
    expect(stripe.charges().filter((c) => c.metadata['orderId'] === 'o-slow')).toHaveLength(1);
  });

  it('refunds a charge once, finds a charge the order never recorded, and knows an order never charged', async () => {
    // Prepare
    const { g } = gateway();
    const taken = await g.charge(charge('o-refund', 'pm_card_visa'));
    await g.charge(charge('o-unrecorded', 'pm_card_visa'));
    // Act
    const refund = await g.refund({
      orderId: 'o-refund',
      method: 'card',
      token: 'pm_card_visa',
      chargeId: taken.status === 'approved' ? taken.chargeId : undefined,
    });
    const again = await g.refund({ orderId: 'o-refund', method: 'card', token: 'pm_card_visa' });
    const unrecorded = await g.refund({ orderId: 'o-unrecorded', method: 'card', token: 'pm_card_visa' });
    const never = await g.refund({ orderId: 'o-never', method: 'card', token: 'pm_card_visa' });
    // Assess
    expect(refund).toEqual({ status: 'refunded', refundId: expect.stringMatching(/^re_/) });
    expect(again).toEqual(refund);
    expect(unrecorded.status).toBe('refunded');
    expect(never).toEqual({ status: 'not-charged' });
    expect(stripe.refunds.map((r) => r.payment_intent)).toHaveLength(2);
  });

  it('does not take a partner account through the card provider', async () => {
    // Act
    const result = await gateway().g.charge({ ...charge('o-acct', 'farmacia'), method: 'account' });
    // Assess
    expect(result.status).toBe('approved');
    expect(stripe.requests.some((r) => r.idempotencyKey === 'charge-o-acct')).toBe(false);
  });
});
