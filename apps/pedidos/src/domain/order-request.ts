import * as z from 'zod';

/** Test tokens of the simulated payment gateway; any other token is refused at validation. */
export const PAYMENT_TEST_TOKENS = ['tok_approved', 'tok_declined'] as const;

export type PaymentProvider = 'simulator' | 'stripe';

/**
 * The card token a provider takes: the simulator's test tokens (anything else is refused here), or a Stripe
 * PaymentMethod id (`pm_...`) made by Stripe.js in the customer's browser.
 */
function cardToken(provider: PaymentProvider) {
  return provider === 'stripe'
    ? z.string().regex(/^pm_[A-Za-z0-9_]{1,200}$/, 'a Stripe PaymentMethod id (pm_...)')
    : z.enum(PAYMENT_TEST_TOKENS, { message: 'unknown payment token' });
}

/** The body of `POST /orders` for the stage's payment provider. The customer comes from the token, never from here. */
export const placeOrderRequest = (provider: PaymentProvider) =>
  z
    .object({
      items: z
        .array(
          z.object({
            productId: z.string().trim().min(1).max(64),
            quantity: z.number().int().positive().max(1000),
          }),
        )
        .min(1, 'at least one item')
        .max(50, 'at most 50 lines'),
      payment: z.object({
        method: z.literal('card'),
        token: cardToken(provider),
      }),
      shippingAddress: z
        .object({
          name: z.string().trim().min(1).max(120).optional(),
          street: z.string().trim().min(1).max(200),
          number: z.string().trim().min(1).max(20).optional(),
          complement: z.string().trim().min(1).max(120).optional(),
          district: z.string().trim().min(1).max(120).optional(),
          city: z.string().trim().min(1).max(120),
          state: z.string().regex(/^[A-Z]{2}$/, 'two capital letters (UF)'),
          postalCode: z.string().regex(/^\d{5}-?\d{3}$/, 'CEP like 01310-100'),
        })
        .strict()
        .optional(),
    })
    .superRefine((body, ctx) => {
      const seen = new Set<string>();
      body.items.forEach((item, i) => {
        if (seen.has(item.productId)) {
          ctx.addIssue({ code: 'custom', path: ['items', i, 'productId'], message: 'duplicate product' });
        }
        seen.add(item.productId);
      });
    });
export const PlaceOrderRequest = placeOrderRequest('simulator');
export type PlaceOrderRequest = z.infer<ReturnType<typeof placeOrderRequest>>;
