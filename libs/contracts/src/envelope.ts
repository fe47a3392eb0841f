import * as z from 'zod';

/** The services that publish events; `source` of every envelope. */
export const EventSource = z.enum([
  'produtos',
  'pedidos',
  'faturas',
  'painel',
  // generated services: the generator adds a line above this one
]);
export type EventSource = z.infer<typeof EventSource>;

/**
 * Builds the schema of one event type and major version: the common envelope
 * (`id, type, version, source, occurredAt, correlationId, causationId`) around its `data`.
 */
export function eventSchema<T extends string, V extends number, D extends z.ZodType>(
  type: T,
  version: V,
  data: D,
) {
  return z.object({
    id: z.string().min(1),
    type: z.literal(type),
    version: z.literal(version),
    source: EventSource,
    occurredAt: z.iso.datetime(),
    correlationId: z.string().min(1),
    causationId: z.string().min(1).nullable(),
    data,
  });
}

/** Any envelope, data not yet validated: what a consumer reads before it picks the schema. */
export const AnyEventEnvelope = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  version: z.number().int().positive(),
  source: EventSource,
  occurredAt: z.iso.datetime(),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  data: z.unknown(),
});
export type AnyEventEnvelope = z.infer<typeof AnyEventEnvelope>;

export const Money = z.number().int().nonnegative().describe('integer cents');
export const Currency = z.literal('BRL');

export const OrderLine = z.object({
  productId: z.string().min(1),
  quantity: z.number().int().positive(),
});
export const PricedOrderLine = OrderLine.extend({ unitPrice: Money });

/** A line as sold: the product's SKU and name as they were at the time of sale (optional in v1 events). */
export const SoldOrderLine = PricedOrderLine.extend({
  sku: z.string().min(1).max(64).optional(),
  name: z.string().min(1).max(200).optional(),
});

/**
 * Where an order came in. On outcome events it is optional (events written before it was added lack it);
 * the SNS publisher copies it to a `channel` message attribute, so a consumer of one channel filters on it.
 */
export const OrderChannel = z.enum(['api', 'partner', 'legacy']);
export type OrderChannel = z.infer<typeof OrderChannel>;

/** Where an order goes: a customer's shipping address or a partner's store (Brazilian address). */
export const DeliveryAddress = z.object({
  name: z.string().min(1).max(120).optional(),
  street: z.string().min(1).max(200).optional(),
  number: z.string().min(1).max(20).optional(),
  complement: z.string().min(1).max(120).optional(),
  district: z.string().min(1).max(120).optional(),
  city: z.string().min(1).max(120),
  state: z.string().length(2),
  postalCode: z.string().max(9).optional(),
  phone: z.string().max(20).optional(),
});
export type DeliveryAddress = z.infer<typeof DeliveryAddress>;

/** Who pays and is invoiced: the customer's e-mail, or a partner's legal name and CNPJ. */
export const Buyer = z.object({
  name: z.string().min(1).max(160).optional(),
  taxId: z
    .string()
    .regex(/^\d{11}$|^\d{14}$/)
    .optional(),
  email: z.email().optional(),
});
export type Buyer = z.infer<typeof Buyer>;

/** The product id a SKU stands for (`CAFE-500G` → `prod-cafe-500g`): how partners' SKU lines find products. */
export function productIdOf(sku: string): string {
  return `prod-${sku
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;
}
