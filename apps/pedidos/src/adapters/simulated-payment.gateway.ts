import type {
  ChargeRequest,
  PaymentGateway,
  PaymentResult,
  RefundRequest,
  RefundResult,
} from '../application/ports';

/**
 * The payment gateway of the platform until a real one is plugged in: deterministic test tokens
 * (`tok_approved` approves, `tok_declined` declines), and the same answer for the same order every time.
 */
export class SimulatedPaymentGateway implements PaymentGateway {
  async charge(request: ChargeRequest): Promise<PaymentResult> {
    if (request.method === 'account')
      return { status: 'approved', chargeId: `acct_${request.token}_${request.orderId}` };
    if (request.token === 'tok_approved') return { status: 'approved', chargeId: `ch_${request.orderId}` };
    return {
      status: 'declined',
      reason: request.token === 'tok_declined' ? 'card declined' : 'unknown token',
    };
  }

  /** Stateless like `charge`: an order whose token approves was (or would have been) charged, so it is refunded. */
  async refund(request: RefundRequest): Promise<RefundResult> {
    const charged =
      request.chargeId !== undefined || request.method === 'account' || request.token === 'tok_approved';
    return charged ? { status: 'refunded', refundId: `re_${request.orderId}` } : { status: 'not-charged' };
  }
}
