import * as z from '../zod';

/**
 * The body of `POST /partner/orders`, one schema for both checks: API Gateway validates requests against
 * the JSON Schema generated from it (`partnerOrdersJsonSchema`), and the intake consumer parses each order
 * with it, so the two cannot disagree. Every string is bounded and limited to characters SQS accepts, every
 * object is closed, so whatever passes the gateway fits one SQS message (a batch at most ~200 KB).
 */

/** Printable Latin text (ASCII, Latin-1 and Latin Extended: Portuguese names and addresses), no controls. */
const LATIN_TEXT = /^[\u0020-\u007E\u00A0-\u024F]*$/;
const text = (max: number) =>
  z.string().check(z.minLength(1), z.maxLength(max), z.regex(LATIN_TEXT, 'printable Latin text only'));

/** A partner's own reference: it names the order in `GET /partner/orders/{ref}`, so it is URL-safe. */
export const PartnerOrderRef = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - (starting with a letter or digit)'),
  );

const Sku = z
  .string()
  .check(z.minLength(1), z.maxLength(40), z.regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, - _ .'));
const ProductId = z
  .string()
  .check(z.minLength(1), z.maxLength(64), z.regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and -'));
const Quantity = z.int().check(z.gte(1), z.lte(1000));

export const PartnerOrderLine = z.union([
  z.strictObject({ sku: Sku, quantity: Quantity }),
  z.strictObject({ productId: ProductId, quantity: Quantity }),
]);

/** Where a partner's order goes: a store of the chain, with a Brazilian address. */
export const DeliverTo = z.strictObject({
  name: text(120),
  street: z.optional(text(200)),
  number: z.optional(text(20)),
  complement: z.optional(text(120)),
  district: z.optional(text(120)),
  city: text(120),
  state: z.string().check(z.regex(/^[A-Z]{2}$/, 'two capital letters (UF)')),
  postalCode: z.optional(z.string().check(z.regex(/^\d{5}-?\d{3}$/, 'CEP like 01310-100'))),
  phone: z.optional(z.string().check(z.regex(/^[0-9 ()+-]{8,20}$/, 'digits, spaces and ( ) + -'))),
});
export type DeliverTo = z.infer<typeof DeliverTo>;

export const PartnerOrder = z.strictObject({
  partnerOrderRef: PartnerOrderRef,
  items: z.array(PartnerOrderLine).check(z.minLength(1), z.maxLength(50)),
  deliverTo: DeliverTo,
});
export type PartnerOrder = z.infer<typeof PartnerOrder>;

export const MAX_PARTNER_BATCH = 25;

/** A request: one order, or a batch of up to 25. */
export const PartnerOrders = z.union([
  PartnerOrder,
  z.strictObject({ orders: z.array(PartnerOrder).check(z.minLength(1), z.maxLength(MAX_PARTNER_BATCH)) }),
]);

/** The JSON Schema (draft 4, as API Gateway models take it) of a partner request. */
export function partnerOrdersJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PartnerOrders, { target: 'draft-04' }) as Record<string, unknown>;
}
