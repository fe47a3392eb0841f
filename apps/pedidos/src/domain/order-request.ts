import { z } from 'zod';

/** Test tokens of the simulated payment gateway; any other token is refused at validation. */
export const PAYMENT_TEST_TOKENS = ['tok_approved', 'tok_declined'] as const;

/** The body of `POST /orders`. The customer comes from the token, never from here. */
export const PlaceOrderRequest = z
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
      token: z.enum(PAYMENT_TEST_TOKENS, { message: 'unknown payment token' }),
    }),
    shippingAddress: z
      .object({
        street: z.string().min(1),
        city: z.string().min(1),
        state: z.string().min(2).max(2),
        postalCode: z.string().regex(/^\d{5}-?\d{3}$/, 'CEP like 01310-100'),
      })
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
export type PlaceOrderRequest = z.infer<typeof PlaceOrderRequest>;
