import * as z from '../zod';
import { DeliveryAddress } from '../envelope';
import { PartnerOrders } from './partner-orders';

/**
 * The REST API's contract: every route's request and response schemas, the ones the handlers validate
 * with and the OpenAPI document (`openApiDocument`) is generated from, so the two cannot drift. A route the
 * stacks declare without an operation here fails the infra tests.
 */

// ── Shared ──────────────────────────────────────────────────────────────────────────────────────────────

/** RFC 9457 problem details, as every function answers an error. */
export const Problem = z.withMeta(
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.optional(z.string()),
    errors: z.described(
      z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
      'One entry per refused field: `body.items.0.quantity`, `query.limit`, `path.id`, ...',
    ),
  }),
  { id: 'Problem' },
);

/** What API Gateway itself answers before a function runs (authorizer, API key, validator, WAF). */
export const GatewayError = z.withMeta(z.looseObject({ message: z.string() }), {
  id: 'GatewayError',
  description: "API Gateway's own answer: `{ message }` (application/json).",
});

const Id = z.string().check(z.minLength(1), z.maxLength(64));
const PageQuery = {
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
  nextToken: z.described(
    z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
    'From the previous page; absent on the first.',
  ),
};
const page = <T extends z.ZodMiniType>(item: T, id: string) =>
  z.withMeta(
    z.object({
      items: z.array(item),
      nextToken: z.described(z.optional(z.string()), 'Present when there are more items.'),
    }),
    { id },
  );

// ── produtos ────────────────────────────────────────────────────────────────────────────────────────────

const Sku = z
  .string()
  .check(z.trim(), z.minLength(1), z.maxLength(40), z.regex(/^[A-Za-z0-9-_.]+$/, 'letters, digits, - _ .'));
// Prices are BRL only: another currency is refused, never silently taken as BRL.
const Brl = z.literal('BRL', { message: 'only BRL is supported' });

export const ProductIdParams = z.object({ id: Id });

export const CreateProductRequest = z.withMeta(
  z.strictObject({
    sku: Sku,
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    description: z._default(z.string().check(z.maxLength(2000)), ''),
    price: z.described(z.int().check(z.positive()), 'integer cents, BRL'),
    currency: z.optional(Brl),
    stock: z._default(z.int().check(z.nonnegative(), z.lte(1_000_000)), 0),
  }),
  { id: 'CreateProductRequest' },
);

export const UpdateProductRequest = z.withMeta(
  z.strictObject({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    description: z._default(z.string().check(z.maxLength(2000)), ''),
    price: z.described(z.int().check(z.positive()), 'integer cents, BRL'),
    currency: z.optional(Brl),
  }),
  { id: 'UpdateProductRequest' },
);

export const AdjustStockRequest = z.withMeta(
  z.object({
    delta: z.described(
      z.number().check(
        z.int(),
        z.refine((d) => d !== 0, 'must not be zero'),
      ),
      'units to add (restock) or remove (adjustment); never below zero, never 0',
    ),
    reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  }),
  { id: 'AdjustStockRequest' },
);

export const ListProductsQuery = z.object(PageQuery);

export const ProductView = z.withMeta(
  z.object({
    id: z.string(),
    sku: z.string(),
    name: z.string(),
    description: z.string(),
    price: z.described(z.int(), 'integer cents'),
    currency: z.literal('BRL'),
    stock: z.object({ available: z.described(z.int(), 'units that can be sold now') }),
  }),
  { id: 'Product' },
);
export type ProductView = z.infer<typeof ProductView>;
export const ProductPage = page(ProductView, 'ProductPage');

// ── pedidos: orders ─────────────────────────────────────────────────────────────────────────────────────

export const ORDER_STATUSES = ['RECEIVED', 'PROCESSING', 'COMPLETED', 'REJECTED', 'CANCELLED'] as const;

/** Test tokens of the simulated payment gateway; any other token is refused at validation. */
export const PAYMENT_TEST_TOKENS = ['tok_approved', 'tok_declined'] as const;
export type PaymentProvider = 'simulator' | 'stripe';

/**
 * The card token a provider takes: the simulator's test tokens (anything else is refused here), or a Stripe
 * PaymentMethod id (`pm_...`) made by Stripe.js in the customer's browser.
 */
function cardToken(provider: PaymentProvider) {
  return provider === 'stripe'
    ? z.string().check(z.regex(/^pm_[A-Za-z0-9_]{1,200}$/, 'a Stripe PaymentMethod id (pm_...)'))
    : z.enum(PAYMENT_TEST_TOKENS, { message: 'unknown payment token' });
}

/** The body of `POST /orders` for the stage's payment provider. The customer comes from the token, never from here. */
export const placeOrderRequest = (provider: PaymentProvider) =>
  z
    .object({
      items: z.described(
        z
          .array(
            z.object({
              productId: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
              quantity: z.int().check(z.positive(), z.lte(1000)),
            }),
          )
          .check(z.minLength(1, 'at least one item'), z.maxLength(50, 'at most 50 lines')),
        'one line per product (a product twice is refused)',
      ),
      payment: z.object({
        method: z.literal('card'),
        token: cardToken(provider),
      }),
      shippingAddress: z.optional(
        z.strictObject({
          name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(120))),
          street: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
          number: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(20))),
          complement: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(120))),
          district: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(120))),
          city: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
          state: z.string().check(z.regex(/^[A-Z]{2}$/, 'two capital letters (UF)')),
          postalCode: z.string().check(z.regex(/^\d{5}-?\d{3}$/, 'CEP like 01310-100')),
        }),
      ),
    })
    .check(
      z.superRefine((body, ctx) => {
        const seen = new Set<string>();
        body.items.forEach((item, i) => {
          if (seen.has(item.productId)) {
            ctx.addIssue({ code: 'custom', path: ['items', i, 'productId'], message: 'duplicate product' });
          }
          seen.add(item.productId);
        });
      }),
    );
export const PlaceOrderRequest = placeOrderRequest('simulator');
export type PlaceOrderRequest = z.infer<ReturnType<typeof placeOrderRequest>>;

export const OrderIdParams = z.object({ id: Id });
export const ListOrdersQuery = z.object({
  ...PageQuery,
  status: z.described(z.optional(z.enum(ORDER_STATUSES)), 'admins only: orders in this status'),
});

export const OrderView = z.withMeta(
  z.object({
    orderId: z.string(),
    customerId: z.string(),
    status: z.enum(ORDER_STATUSES),
    channel: z.enum(['api', 'partner', 'legacy']),
    partnerId: z.optional(z.string()),
    partnerOrderRef: z.optional(z.string()),
    externalRef: z.described(z.optional(z.string()), 'the number of a legacy-channel order in the ERP'),
    items: z.array(
      z.object({
        productId: z.string(),
        quantity: z.int(),
        unitPrice: z.described(z.optional(z.int()), 'integer cents, once priced'),
        sku: z.optional(z.string()),
        name: z.optional(z.string()),
      }),
    ),
    deliveryAddress: z.optional(DeliveryAddress),
    total: z.described(z.optional(z.int()), 'integer cents, once priced'),
    currency: z.literal('BRL'),
    payment: z.object({ method: z.string(), status: z.string() }),
    createdAt: z.string(),
    statusHistory: z.array(
      z.object({ status: z.enum(ORDER_STATUSES), at: z.string(), reason: z.optional(z.string()) }),
    ),
    invoice: z.optional(z.object({ invoiceId: z.string(), number: z.int() })),
  }),
  { id: 'Order' },
);
export type OrderView = z.infer<typeof OrderView>;
export const OrderPage = page(OrderView, 'OrderPage');

// ── pedidos: partners ───────────────────────────────────────────────────────────────────────────────────

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

function callbackUrl(allowLoopback: boolean) {
  return z.url().check(
    z.maxLength(500),
    z.refine(
      (u) => {
        const url = new URL(u);
        if (url.username || url.password) return false;
        if (url.protocol === 'https:') return allowLoopback || !LOOPBACK.includes(url.hostname);
        return allowLoopback && url.protocol === 'http:' && LOOPBACK.includes(url.hostname);
      },
      allowLoopback ? 'an https URL (http only for 127.0.0.1 or localhost)' : 'an https URL to a public host',
    ),
  );
}

/** `POST /partners`: a partner as an admin registers it; `allowLoopbackCallbacks` only in the local stage. */
export const registerPartnerRequest = (options: { allowLoopbackCallbacks: boolean }) =>
  z.object({
    partnerId: z
      .string()
      .check(
        z.regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, 'lowercase letters, digits and dashes, 3-40 characters'),
      ),
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
    email: z.email(),
    billing: z.object({
      legalName: z.string().check(z.trim(), z.minLength(1), z.maxLength(160)),
      taxId: z.string().check(z.regex(/^\d{14}$/, 'a CNPJ of 14 digits')),
      address: z.optional(z.string().check(z.trim(), z.maxLength(300))),
    }),
    plan: z.described(
      z._default(z.enum(['standard', 'trial']), 'standard'),
      '`standard` (10 000 requests a day) or `trial` (100 a day)',
    ),
    callbackUrl: z.described(
      z.optional(callbackUrl(options.allowLoopbackCallbacks)),
      "where each order's final status is posted, signed",
    ),
    customerId: z.described(
      z.optional(Id),
      'the customer account its orders belong to; `partner-<id>` by default',
    ),
  });
export const RegisterPartnerRequest = registerPartnerRequest({ allowLoopbackCallbacks: false });
export type RegisterPartnerRequest = z.infer<typeof RegisterPartnerRequest>;

export const PartnerIdParams = z.object({ partnerId: Id });
export const PartnerOrderRefParams = z.object({ partnerOrderRef: Id });

export const PartnerView = z.withMeta(
  z.object({
    partnerId: z.string(),
    name: z.string(),
    status: z.enum(['ACTIVE', 'DISABLED']),
    plan: z.optional(z.enum(['standard', 'trial'])),
    customerId: z.string(),
    email: z.optional(z.string()),
    apiKeyId: z.string(),
    callbackUrl: z.optional(z.string()),
    billing: z.optional(
      z.object({ legalName: z.string(), taxId: z.string(), address: z.optional(z.string()) }),
    ),
    createdAt: z.optional(z.string()),
  }),
  { id: 'Partner' },
);
export const RegisteredPartner = z.withMeta(
  z.extend(PartnerView, {
    apiKey: z.described(z.string(), 'the API key, shown this once'),
    callbackSecret: z.described(z.optional(z.string()), 'the callback signing secret, shown this once'),
  }),
  { id: 'RegisteredPartner' },
);
export const PartnerOrderView = z.withMeta(z.extend(OrderView, { partnerOrderRef: z.string() }), {
  id: 'PartnerOrder',
});
export const PartnerOrdersAccepted = z.withMeta(
  z.object({ messageId: z.described(z.string(), 'the intake queue message that holds the request') }),
  { id: 'PartnerOrdersAccepted' },
);

// ── faturas ─────────────────────────────────────────────────────────────────────────────────────────────

export const InvoiceParams = z.object({ orderId: Id });
export const InvoiceView = z.withMeta(
  z.object({
    invoiceId: z.string(),
    status: z.enum(['ISSUED', 'CANCELLED']),
    number: z.int(),
    series: z.string(),
    orderId: z.string(),
    total: z.described(z.int(), 'integer cents'),
    currency: z.literal('BRL'),
    issuedAt: z.string(),
    cancelledAt: z.optional(z.string()),
    cancelReason: z.optional(z.string()),
    pdfUrl: z.described(z.string(), 'a signed link, valid 5 minutes'),
    xmlUrl: z.described(z.string(), 'a signed link, valid 5 minutes'),
  }),
  { id: 'Invoice' },
);
export type InvoiceView = z.infer<typeof InvoiceView>;

// ── The operations ──────────────────────────────────────────────────────────────────────────────────────

/** Who may call: anyone, a signed-in customer (Cognito ID token), an admin (group `admins`), a partner (API key). */
export type OperationAuth = 'public' | 'customer' | 'admin' | 'partner';

export interface RestOperation {
  operationId: string;
  /** The service whose REST API serves it (each has its own base URL in AWS). */
  service: 'produtos' | 'pedidos' | 'faturas';
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth: OperationAuth;
  params?: z.ZodMiniObject;
  query?: z.ZodMiniObject;
  body?: z.ZodMiniType;
  /** Headers the operation reads, besides authentication. */
  headers?: { name: string; description: string; schema: z.ZodMiniType }[];
  /** The success answer; errors are documented from the rest of the spec and `errors`. */
  success: { status: number; description: string; body?: z.ZodMiniType; headers?: Record<string, string> };
  /** Errors the operation's own logic answers (404, 409, 422), besides those of validation and auth. */
  errors?: Partial<Record<404 | 409 | 422, string>>;
  /** Bodies that succeed, for the reference page and the contract test. */
  example?: unknown;
}

export const REST_OPERATIONS: readonly RestOperation[] = [
  {
    operationId: 'listProducts',
    service: 'produtos',
    method: 'GET',
    path: '/products',
    tag: 'Catalog',
    summary: 'The public catalog, one page at a time',
    auth: 'public',
    query: ListProductsQuery,
    success: { status: 200, description: 'A page of products', body: ProductPage },
  },
  {
    operationId: 'getProduct',
    service: 'produtos',
    method: 'GET',
    path: '/products/{id}',
    tag: 'Catalog',
    summary: 'One product',
    auth: 'public',
    params: ProductIdParams,
    success: { status: 200, description: 'The product', body: ProductView },
    errors: { 404: 'No such product' },
  },
  {
    operationId: 'createProduct',
    service: 'produtos',
    method: 'POST',
    path: '/products',
    tag: 'Catalog',
    summary: 'A new product with its opening stock (admins)',
    auth: 'admin',
    body: CreateProductRequest,
    success: {
      status: 201,
      description: 'Created',
      body: ProductView,
      headers: { Location: '/products/{id}' },
    },
    errors: { 409: 'A product with this SKU exists' },
    example: { sku: 'CAFE-250G', name: 'Café torrado 250 g', price: 1890, stock: 40 },
  },
  {
    operationId: 'updateProduct',
    service: 'produtos',
    method: 'PUT',
    path: '/products/{id}',
    tag: 'Catalog',
    summary: 'Name, description and price of a product (admins); stock goes through /stock',
    auth: 'admin',
    params: ProductIdParams,
    body: UpdateProductRequest,
    success: { status: 200, description: 'The product as updated', body: ProductView },
    errors: { 404: 'No such product' },
    example: { name: 'Café torrado 250 g', description: 'Grãos do cerrado', price: 1990 },
  },
  {
    operationId: 'adjustStock',
    service: 'produtos',
    method: 'POST',
    path: '/products/{id}/stock',
    tag: 'Catalog',
    summary: 'A restock or an adjustment of a product (admins); never below zero',
    auth: 'admin',
    params: ProductIdParams,
    body: AdjustStockRequest,
    success: { status: 200, description: 'The product with its new stock', body: ProductView },
    errors: { 404: 'No such product', 422: 'The adjustment would take the stock below zero' },
    example: { delta: 10, reason: 'restock' },
  },
  {
    operationId: 'placeOrder',
    service: 'pedidos',
    method: 'POST',
    path: '/orders',
    tag: 'Orders',
    summary: 'Places an order: stored as RECEIVED and processed asynchronously',
    description:
      'Answers 202 at once; follow the order with `GET /orders/{id}` (or the Location header). The same ' +
      '`Idempotency-Key` with the same body answers the first order again (`Idempotent-Replayed: true`).',
    auth: 'customer',
    body: PlaceOrderRequest,
    headers: [
      {
        name: 'Idempotency-Key',
        description: 'Retry-safe key for this order: 1-128 letters, digits, `.`, `:`, `-` or `_`',
        schema: z.optional(z.string().check(z.regex(/^[\w.:-]{1,128}$/))),
      },
    ],
    success: {
      status: 202,
      description: 'Accepted as RECEIVED',
      body: OrderView,
      headers: { Location: '/orders/{orderId}' },
    },
    errors: { 409: 'The Idempotency-Key was used with another body' },
    example: {
      items: [{ productId: 'prod-cafe-500g', quantity: 1 }],
      payment: { method: 'card', token: 'tok_approved' },
    },
  },
  {
    operationId: 'listOrders',
    service: 'pedidos',
    method: 'GET',
    path: '/orders',
    tag: 'Orders',
    summary: "The caller's orders, newest first; admins see every order",
    auth: 'customer',
    query: ListOrdersQuery,
    success: { status: 200, description: 'A page of orders', body: OrderPage },
  },
  {
    operationId: 'getOrder',
    service: 'pedidos',
    method: 'GET',
    path: '/orders/{id}',
    tag: 'Orders',
    summary: "One order: the owner's, or any for admins",
    auth: 'customer',
    params: OrderIdParams,
    success: { status: 200, description: 'The order', body: OrderView },
    errors: { 404: "No such order, or someone else's" },
  },
  {
    operationId: 'cancelOrder',
    service: 'pedidos',
    method: 'POST',
    path: '/orders/{id}/cancel',
    tag: 'Orders',
    summary: 'Cancels an order before completion, or withdraws within 7 days after (refunded)',
    auth: 'customer',
    params: OrderIdParams,
    success: { status: 200, description: 'The order, CANCELLED', body: OrderView },
    errors: { 404: "No such order, or someone else's", 409: 'The order can no longer be cancelled' },
  },
  {
    operationId: 'registerPartner',
    service: 'pedidos',
    method: 'POST',
    path: '/partners',
    tag: 'Partners',
    summary: 'Registers a B2B partner and returns its API key, this once (admins)',
    auth: 'admin',
    body: RegisterPartnerRequest,
    success: {
      status: 201,
      description: 'Registered',
      body: RegisteredPartner,
      headers: { Location: '/partners/{partnerId}' },
    },
    errors: { 409: 'A partner with this id exists' },
    example: {
      partnerId: 'mercado-exemplo',
      name: 'Mercado Exemplo',
      email: 'compras@mercado.example',
      billing: { legalName: 'Mercado Exemplo Ltda', taxId: '12345678000195' },
    },
  },
  {
    operationId: 'disablePartner',
    service: 'pedidos',
    method: 'POST',
    path: '/partners/{partnerId}/disable',
    tag: 'Partners',
    summary: 'Disables a partner: its API key stops working at once (admins)',
    auth: 'admin',
    params: PartnerIdParams,
    success: { status: 200, description: 'The partner, DISABLED', body: PartnerView },
    errors: { 404: 'No such partner' },
  },
  {
    operationId: 'submitPartnerOrders',
    service: 'pedidos',
    method: 'POST',
    path: '/partner/orders',
    tag: 'Partner channel',
    summary: 'One order or a batch of up to 25, queued for intake (API key)',
    description:
      'Validated by API Gateway against this schema and queued as is; each order then follows ' +
      '`GET /partner/orders/{partnerOrderRef}` or the callback. A reference sent again makes no second order.',
    auth: 'partner',
    body: PartnerOrders,
    success: { status: 202, description: 'Queued', body: PartnerOrdersAccepted },
    example: {
      partnerOrderRef: 'PO-1001',
      items: [{ sku: 'CAFE-500G', quantity: 2 }],
      deliverTo: { name: 'Loja Centro', city: 'São Paulo', state: 'SP' },
    },
  },
  {
    operationId: 'getPartnerOrder',
    service: 'pedidos',
    method: 'GET',
    path: '/partner/orders/{partnerOrderRef}',
    tag: 'Partner channel',
    summary: "The status and invoice of a partner's order, by its reference (API key)",
    auth: 'partner',
    params: PartnerOrderRefParams,
    success: { status: 200, description: 'The order', body: PartnerOrderView },
    errors: { 404: 'No order with this reference (yet)' },
  },
  {
    operationId: 'getInvoice',
    service: 'faturas',
    method: 'GET',
    path: '/invoices/{orderId}',
    tag: 'Invoices',
    summary: 'The invoice of an order (owner or admin), with 5-minute document links',
    auth: 'customer',
    params: InvoiceParams,
    success: { status: 200, description: 'The invoice', body: InvoiceView },
    errors: { 404: "No invoice for this order (yet), or someone else's" },
  },
];
