import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import type { Json } from '@order-platform/testing';
import { startPlatform, type Platform } from './platform';

// The contract test: the OpenAPI document the running platform publishes drives its API. Every operation
// is called for its documented success and for each documented error its input, auth and logic can give,
// and every answer must be documented for the operation and match the documented schema.

let p: Platform;
let doc: Json;
let ajv: Ajv2020;
/** The answers seen, per operation: `operationId status`. */
const seen = new Set<string>();

type Auth = 'none' | 'customer' | 'admin' | 'partner' | 'bad-key';

beforeAll(async () => {
  p = await startPlatform();
  const res = await fetch(`${p.api}/openapi.json`);
  doc = await res.json();
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'doc', components: doc.components });
}, 180000);
afterAll(() => p?.cloud.stop());

const unique = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
let partnerKey = '';

function operation(id: string): { path: string; method: string; op: Json } {
  for (const [path, item] of Object.entries(doc.paths as Json))
    for (const [method, op] of Object.entries(item as Json))
      if ((op as Json).operationId === id) return { path, method, op };
  throw new Error(`The document has no operation ${id}`);
}

const validators = new Map<string, ValidateFunction>();
function validatorFor(schema: Json): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = validators.get(key);
  if (!v) {
    v = ajv.compile(JSON.parse(key.replace(/"#\/components/g, '"doc#/components')));
    validators.set(key, v);
  }
  return v;
}

/**
 * Calls an operation as the document describes it (path parameters filled in, the example body unless one
 * is given) and checks the answer against the document: its status is documented for the operation, and
 * its content type and body match that response. Returns the answer.
 */
async function call(
  id: string,
  options: {
    params?: Record<string, string>;
    query?: string;
    body?: unknown;
    auth?: Auth;
    headers?: Record<string, string>;
    expect: number;
  },
) {
  const { path, method, op } = operation(id);
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(options.params?.[name] ?? ''),
  );
  const auth = options.auth ?? 'none';
  const headers: Record<string, string> = { ...options.headers };
  if (auth === 'partner') headers['x-api-key'] = partnerKey;
  if (auth === 'bad-key') headers['x-api-key'] = 'not-a-key-of-this-platform';
  const body =
    options.body !== undefined ? options.body : op.requestBody?.content['application/json'].example;
  const res = await p.call(method.toUpperCase(), `${url}${options.query ?? ''}`, {
    token: auth === 'customer' || auth === 'admin' ? await p.token(auth) : undefined,
    body,
    headers,
  });
  const label = `${method.toUpperCase()} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
  expect({ label, status: res.status }).toEqual({ label, status: options.expect });
  const documented = op.responses[String(res.status)];
  expect({ label, documented: documented !== undefined }).toEqual({ label, documented: true });
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (documented.content) {
    expect({ label, type, documented: Object.keys(documented.content) }).toEqual({
      label,
      type,
      documented: expect.arrayContaining([type]),
    });
    const validate = validatorFor(documented.content[type].schema);
    const valid = validate(res.body);
    expect({ label, errors: valid ? null : validate.errors }).toEqual({ label, errors: null });
  }
  seen.add(`${id} ${res.status}`);
  return res;
}

describe('the published OpenAPI document', () => {
  it('is served on the API origin with its reference page', async () => {
    // Act
    const page = await fetch(`${p.api}/docs/`);
    const html = await page.text();
    const bundle = await fetch(`${p.api}/docs/swagger-ui-bundle.js`, { method: 'HEAD' });
    // Assess
    expect(doc.openapi).toBe('3.1.0');
    expect(page.status).toBe(200);
    expect(html).toContain('swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(doc.servers[0].url).toBe(p.api);
  });
});

describe('every operation answers as the document says', () => {
  let productId = '';
  let orderId = '';

  it('catalog: create, read, update, adjust, list', async () => {
    const example = operation('createProduct').op.requestBody.content['application/json'].example;
    const product = { ...example, sku: `CT-${unique}` };
    const created = await call('createProduct', { body: product, auth: 'admin', expect: 201 });
    productId = created.body.id;
    await call('createProduct', { body: product, auth: 'admin', expect: 409 });
    await call('createProduct', { body: { ...product, currency: 'USD' }, auth: 'admin', expect: 400 });
    await call('createProduct', { auth: 'none', expect: 401 });
    await call('createProduct', { auth: 'customer', expect: 403 });

    await call('getProduct', { params: { id: productId }, expect: 200 });
    await call('getProduct', { params: { id: 'no-such-product' }, expect: 404 });
    await call('getProduct', { params: { id: 'x'.repeat(65) }, expect: 400 });

    await call('updateProduct', { params: { id: productId }, auth: 'admin', expect: 200 });
    await call('updateProduct', { params: { id: 'no-such-product' }, auth: 'admin', expect: 404 });
    await call('updateProduct', {
      params: { id: productId },
      body: { price: -1 },
      auth: 'admin',
      expect: 400,
    });
    await call('updateProduct', { params: { id: productId }, auth: 'none', expect: 401 });
    await call('updateProduct', { params: { id: productId }, auth: 'customer', expect: 403 });

    await call('adjustStock', { params: { id: productId }, auth: 'admin', expect: 200 });
    await call('adjustStock', {
      params: { id: productId },
      body: { delta: -1_000_000, reason: 'too much' },
      auth: 'admin',
      expect: 422,
    });
    await call('adjustStock', { params: { id: 'no-such-product' }, auth: 'admin', expect: 404 });
    await call('adjustStock', { params: { id: productId }, body: { delta: 0 }, auth: 'admin', expect: 400 });
    await call('adjustStock', { params: { id: productId }, auth: 'none', expect: 401 });
    await call('adjustStock', { params: { id: productId }, auth: 'customer', expect: 403 });

    await call('listProducts', { query: '?limit=2', expect: 200 });
    await call('listProducts', { query: '?limit=0', expect: 400 });
  });

  it('orders: place, replay, read, list, cancel', async () => {
    const key = `ct-${unique}`;
    const body = { items: [{ productId, quantity: 1 }], payment: { method: 'card', token: 'tok_approved' } };
    const placed = await call('placeOrder', {
      body,
      auth: 'customer',
      headers: { 'Idempotency-Key': key },
      expect: 202,
    });
    orderId = placed.body.orderId;
    await call('placeOrder', {
      body: { ...body, items: [{ productId, quantity: 2 }] },
      auth: 'customer',
      headers: { 'Idempotency-Key': key },
      expect: 409,
    });
    await call('placeOrder', { body: { items: [] }, auth: 'customer', expect: 400 });
    await call('placeOrder', { auth: 'none', expect: 401 });

    await call('getOrder', { params: { id: orderId }, auth: 'customer', expect: 200 });
    await call('getOrder', { params: { id: orderId }, auth: 'admin', expect: 200 });
    // Someone else's order is not there for the caller.
    const other = await p.call('GET', `/orders/${orderId}`, { token: await p.token('customer2') });
    expect(other.status).toBe(404);
    await call('getOrder', { params: { id: 'no-such-order' }, auth: 'customer', expect: 404 });
    await call('getOrder', { params: { id: 'x'.repeat(65) }, auth: 'customer', expect: 400 });
    await call('getOrder', { params: { id: orderId }, auth: 'none', expect: 401 });

    await call('listOrders', { query: '?limit=5', auth: 'customer', expect: 200 });
    await call('listOrders', { query: '?status=COMPLETED&limit=5', auth: 'admin', expect: 200 });
    await call('listOrders', { query: '?status=LOST', auth: 'admin', expect: 400 });
    await call('listOrders', { auth: 'none', expect: 401 });

    // A second order, cancelled at once (again: the same answer); a rejected one cannot be cancelled.
    const second = await call('placeOrder', { body, auth: 'customer', expect: 202 });
    await call('cancelOrder', { params: { id: second.body.orderId }, auth: 'customer', expect: 200 });
    await call('cancelOrder', { params: { id: second.body.orderId }, auth: 'customer', expect: 200 });
    const rejected = await call('placeOrder', {
      body: { ...body, items: [{ productId, quantity: 1000 }] },
      auth: 'customer',
      expect: 202,
    });
    await p.waitFor(async () => {
      const res = await p.call('GET', `/orders/${rejected.body.orderId}`, {
        token: await p.token('customer'),
      });
      return res.body.status === 'REJECTED' ? true : undefined;
    });
    await call('cancelOrder', { params: { id: rejected.body.orderId }, auth: 'customer', expect: 409 });
    await call('cancelOrder', { params: { id: 'no-such-order' }, auth: 'customer', expect: 404 });
    await call('cancelOrder', { params: { id: 'x'.repeat(65) }, auth: 'customer', expect: 400 });
    await call('cancelOrder', { params: { id: orderId }, auth: 'none', expect: 401 });
  });

  it('invoices: the completed order has one', async () => {
    await p.waitFor(async () => {
      const res = await p.call('GET', `/invoices/${orderId}`, { token: await p.token('customer') });
      return res.status === 200 ? true : undefined;
    });
    await call('getInvoice', { params: { orderId }, auth: 'customer', expect: 200 });
    await call('getInvoice', { params: { orderId: 'no-such-order' }, auth: 'customer', expect: 404 });
    await call('getInvoice', { params: { orderId: 'x'.repeat(65) }, auth: 'customer', expect: 400 });
    await call('getInvoice', { params: { orderId }, auth: 'none', expect: 401 });
  });

  it('partners: register, take orders by key, answer by reference, disable', async () => {
    const example = operation('registerPartner').op.requestBody.content['application/json'].example;
    const partner = { ...example, partnerId: `ct-${unique}` };
    const registered = await call('registerPartner', { body: partner, auth: 'admin', expect: 201 });
    partnerKey = registered.body.apiKey;
    await call('registerPartner', { body: partner, auth: 'admin', expect: 409 });
    await call('registerPartner', { body: { ...partner, partnerId: 'X' }, auth: 'admin', expect: 400 });
    await call('registerPartner', { auth: 'none', expect: 401 });
    await call('registerPartner', { auth: 'customer', expect: 403 });

    const ref = `CT-${unique}`;
    const order = operation('submitPartnerOrders').op.requestBody.content['application/json'].example;
    await call('submitPartnerOrders', {
      body: { ...order, partnerOrderRef: ref },
      auth: 'partner',
      expect: 202,
    });
    await call('submitPartnerOrders', { body: { orders: [] }, auth: 'partner', expect: 400 });
    await call('submitPartnerOrders', { auth: 'bad-key', expect: 403 });
    await p.waitFor(async () => {
      const res = await p.call('GET', `/partner/orders/${ref}`, { headers: { 'x-api-key': partnerKey } });
      return res.status === 200 ? true : undefined;
    });
    await call('getPartnerOrder', { params: { partnerOrderRef: ref }, auth: 'partner', expect: 200 });
    await call('getPartnerOrder', {
      params: { partnerOrderRef: 'NO-SUCH-REF' },
      auth: 'partner',
      expect: 404,
    });
    await call('getPartnerOrder', {
      params: { partnerOrderRef: 'x'.repeat(65) },
      auth: 'partner',
      expect: 400,
    });
    await call('getPartnerOrder', { params: { partnerOrderRef: ref }, auth: 'bad-key', expect: 403 });

    await call('disablePartner', { params: { partnerId: partner.partnerId }, auth: 'admin', expect: 200 });
    await call('disablePartner', { params: { partnerId: 'no-such-partner' }, auth: 'admin', expect: 404 });
    await call('disablePartner', { params: { partnerId: 'x'.repeat(65) }, auth: 'admin', expect: 400 });
    await call('disablePartner', { params: { partnerId: partner.partnerId }, auth: 'none', expect: 401 });
    await call('disablePartner', { params: { partnerId: partner.partnerId }, auth: 'customer', expect: 403 });
  });

  it('gave every documented answer but the rate limit (driven by the WAF e2e test)', () => {
    // Act
    const documented = Object.values(doc.paths as Json).flatMap((item) =>
      Object.values(item as Json)
        .filter((op) => (op as Json).operationId)
        .flatMap((op) =>
          Object.keys((op as Json).responses)
            .filter((status) => status !== '429')
            .map((status) => `${(op as Json).operationId} ${status}`),
        ),
    );
    // Assess
    expect(documented.filter((answer) => !seen.has(answer))).toEqual([]);
  });
});
