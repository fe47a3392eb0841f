import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DEFAULT_RATE_LIMITS } from '@order-platform/cdk-constructs';
import { pdfText, validateXml } from '@order-platform/testing/documents';
import { startPlatform, type Platform } from './platform';

// The order flow through the public REST API only, on the local cloud built from the real templates.
let p: Platform;
const FINAL = ['COMPLETED', 'REJECTED', 'CANCELLED'];

beforeAll(async () => {
  p = await startPlatform();
}, 180000);
afterAll(() => p?.cloud.stop());

const order = (
  productId: string,
  quantity: number,
  token: 'tok_approved' | 'tok_declined' = 'tok_approved',
) => ({
  items: [{ productId, quantity }],
  payment: { method: 'card', token },
});

async function available(productId: string): Promise<number> {
  const res = await p.call('GET', `/products/${productId}`);
  return res.body.stock.available;
}

async function place(
  body: unknown,
  user: 'customer' | 'customer2' = 'customer',
  headers: Record<string, string> = {},
) {
  return p.call('POST', '/orders', { token: await p.token(user), body, headers });
}

async function finalState(orderId: string, user: 'customer' | 'customer2' | 'admin' = 'customer') {
  const token = await p.token(user);
  return p.waitFor(async () => {
    const res = await p.call('GET', `/orders/${orderId}`, { token });
    return FINAL.includes(res.body?.status) ? res.body : undefined;
  });
}

describe('order flow', () => {
  it('takes an order to COMPLETED with an invoice whose PDF downloads, and e-mails the customer', async () => {
    // Prepare
    const before = await available('prod-cafe-500g');
    // Act
    const placed = await place(order('prod-cafe-500g', 2));
    // Assess
    expect(placed.status).toBe(202);
    expect(placed.headers.get('location')).toBe(`/orders/${placed.body.orderId}`);
    expect(placed.body.status).toBe('RECEIVED');
    const done = await finalState(placed.body.orderId);
    expect(done.status).toBe('COMPLETED');
    expect(done.payment).toEqual({ method: 'card', status: 'CAPTURED' });
    expect(done.total).toBe(2 * 2490);
    expect(done.statusHistory.map((s: { status: string }) => s.status)).toEqual([
      'RECEIVED',
      'PROCESSING',
      'COMPLETED',
    ]);
    expect(await available('prod-cafe-500g')).toBe(before - 2);

    const token = await p.token('customer');
    const invoice = await p.waitFor(async () => {
      const res = await p.call('GET', `/invoices/${placed.body.orderId}`, { token });
      return res.status === 200 ? res.body : undefined;
    });
    expect(invoice).toMatchObject({ orderId: placed.body.orderId, series: '1', total: 4980 });
    const pdf = Buffer.from(await (await fetch(invoice.pdfUrl)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-8).toString()).toContain('%%EOF');
    // The link opens only as signed, as in AWS: one changed character of its signature and it is refused.
    const tampered = invoice.pdfUrl.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_: string, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
    );
    const refused = await fetch(tampered);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const xml = await (await fetch(invoice.xmlUrl)).text();
    expect(xml).toContain(`<nNF>${invoice.number}</nNF>`);
    const linked = await p.waitFor(async () => {
      const res = await p.call('GET', `/orders/${placed.body.orderId}`, { token });
      return res.body.invoice ? res.body : undefined;
    });
    expect(linked.invoice).toEqual({ invoiceId: invoice.invoiceId, number: invoice.number });

    const mails = await p.waitFor(async () => {
      const found = (await p.emails()).filter((m) => m.subject.includes(placed.body.orderId));
      return found.length >= 3 ? found : undefined;
    });
    const subjects = mails.map((m) => m.subject);
    // The invoice mail names the invoice in the authenticated API: it opens with the sign-in, not without.
    const invoiceMail = mails.find((m) => m.subject.startsWith('Fatura'))!.body.text;
    const mailed = /https?:\/\/\S+\/invoices\/\S+/.exec(invoiceMail)?.[0];
    expect(mailed).toBe(`${p.api}/invoices/${placed.body.orderId}`);
    expect(invoiceMail).not.toContain('X-Amz');
    expect((await fetch(mailed!)).status).toBe(401);
    const opened = await fetch(mailed!, { headers: { Authorization: `Bearer ${token}` } });
    expect(opened.status).toBe(200);
    expect(subjects).toEqual(
      expect.arrayContaining([
        `Pedido ${placed.body.orderId} recebido`,
        `Pedido ${placed.body.orderId} concluído`,
        expect.stringMatching(/^Fatura 1-\d+ do pedido/),
      ]),
    );
  });

  it('keeps the shipping address on the order and prints it, with each product by name, on the invoice', async () => {
    // Prepare
    const shippingAddress = {
      name: 'Ana Souza',
      street: 'Avenida Paulista',
      number: '1578',
      district: 'Bela Vista',
      city: 'São Paulo',
      state: 'SP',
      postalCode: '01310-200',
    };
    // Act
    const placed = await place({ ...order('prod-cafe-500g', 1), shippingAddress });
    // Assess
    expect(placed.status).toBe(202);
    const done = await finalState(placed.body.orderId);
    expect(done.deliveryAddress).toEqual(shippingAddress);
    expect(done.items[0]).toMatchObject({
      productId: 'prod-cafe-500g',
      sku: 'CAFE-500G',
      name: expect.any(String),
    });
    const token = await p.token('customer');
    const invoice = await p.waitFor(async () => {
      const res = await p.call('GET', `/invoices/${placed.body.orderId}`, { token });
      return res.status === 200 ? res.body : undefined;
    });
    const text = pdfText(Buffer.from(await (await fetch(invoice.pdfUrl)).arrayBuffer())).replace(
      /[ \t]+/g,
      ' ',
    );
    expect(text).toContain(`CAFE-500G ${done.items[0].name}`);
    expect(text).toContain('Avenida Paulista, 1578');
    expect(text).toContain('São Paulo/SP — CEP 01310-200');
    expect(text).toContain('customer@example.com');
    const xml = await (await fetch(invoice.xmlUrl)).text();
    expect(validateXml(xml)).toEqual({ valid: true });
    expect(xml).toContain('<xMun>São Paulo</xMun>');
  });

  it('rejects an order it cannot serve and leaves the stock untouched', async () => {
    // Prepare
    const before = await available('prod-azeite-500ml');
    // Act
    const placed = await place(order('prod-azeite-500ml', before + 1));
    // Assess
    const done = await finalState(placed.body.orderId);
    expect(done.status).toBe('REJECTED');
    expect(done.payment.status).toBe('VOIDED');
    expect(done.statusHistory.at(-1).reason).toContain('prod-azeite-500ml');
    expect(await available('prod-azeite-500ml')).toBe(before);
  });

  it('cancels an order whose payment is declined and releases its stock', async () => {
    // Prepare
    const before = await available('prod-arroz-5kg');
    // Act
    const placed = await place(order('prod-arroz-5kg', 3, 'tok_declined'));
    // Assess
    const done = await finalState(placed.body.orderId);
    expect(done.status).toBe('CANCELLED');
    expect(done.payment.status).toBe('DECLINED');
    expect(done.statusHistory.at(-1).reason).toMatch(/declined/);
    await p.waitFor(async () => ((await available('prod-arroz-5kg')) === before ? true : undefined));
  });

  it('lets the customer cancel before completion, and the stock comes back', async () => {
    // Prepare
    const before = await available('prod-feijao-1kg');
    const placed = await place(order('prod-feijao-1kg', 4));
    // Act
    const cancelled = await p.call('POST', `/orders/${placed.body.orderId}/cancel`, {
      token: await p.token('customer'),
    });
    // Assess: the cancel won, or the order had completed and it became a withdrawal; either way CANCELLED.
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    const final = await finalState(placed.body.orderId);
    expect(final.status).toBe('CANCELLED');
    // Cancelled before the charge (VOIDED) or after it (REFUNDED): never money kept.
    await p.waitFor(async () => {
      const res = await p.call('GET', `/orders/${placed.body.orderId}`, {
        token: await p.token('customer'),
      });
      return ['VOIDED', 'REFUNDED'].includes(res.body.payment.status) ? true : undefined;
    });
    await p.waitFor(async () => ((await available('prod-feijao-1kg')) === before ? true : undefined));
  });

  it('withdraws from a completed order: refunded, units back on the shelf, invoice cancelled, customer told', async () => {
    // Prepare: an order completed and invoiced.
    const token = await p.token('customer');
    const before = await available('prod-cafe-500g');
    const placed = await place(order('prod-cafe-500g', 2));
    const orderId = placed.body.orderId;
    expect((await finalState(orderId)).payment.status).toBe('CAPTURED');
    const issued = await p.waitFor(async () => {
      const res = await p.call('GET', `/invoices/${orderId}`, { token });
      return res.status === 200 ? res.body : undefined;
    });
    await p.waitFor(async () => ((await available('prod-cafe-500g')) === before - 2 ? true : undefined));
    // Act
    const cancelled = await p.call('POST', `/orders/${orderId}/cancel`, { token });
    // Assess
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    const refunded = await p.waitFor(async () => {
      const res = await p.call('GET', `/orders/${orderId}`, { token });
      return res.body.payment.status === 'REFUNDED' ? res.body : undefined;
    });
    expect(refunded.statusHistory.map((s: { status: string }) => s.status)).toEqual([
      'RECEIVED',
      'PROCESSING',
      'COMPLETED',
      'CANCELLED',
    ]);
    await p.waitFor(async () => ((await available('prod-cafe-500g')) === before ? true : undefined));
    const voided = await p.waitFor(async () => {
      const res = await p.call('GET', `/invoices/${orderId}`, { token });
      return res.body.status === 'CANCELLED' ? res.body : undefined;
    });
    expect(voided).toMatchObject({ number: issued.number, cancelReason: expect.stringMatching(/Withdrawn/) });
    const mail = await p.waitFor(async () =>
      (await p.emails()).find((m) => m.subject === `Pedido ${orderId} cancelado`),
    );
    expect(mail.body.text).toContain('estornado');
  });

  it('returns the same order for the same Idempotency-Key and body, and 409 for another body', async () => {
    // Prepare
    const key = `key-${Date.now()}`;
    // Act
    const first = await place(order('prod-dipirona-500mg', 1), 'customer', { 'Idempotency-Key': key });
    const again = await place(order('prod-dipirona-500mg', 1), 'customer', { 'Idempotency-Key': key });
    const other = await place(order('prod-dipirona-500mg', 2), 'customer', { 'Idempotency-Key': key });
    // Assess
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.orderId).toBe(first.body.orderId);
    expect(other.status).toBe(409);
    const malformed = await place(order('prod-dipirona-500mg', 1), 'customer', {
      'Idempotency-Key': 'a b/c',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].field).toBe('header.Idempotency-Key');
    expect(other.headers.get('content-type')).toBe('application/problem+json');
  });

  it("hides a customer's order from another customer, shows it to an admin, and lists it for its owner", async () => {
    // Prepare
    const placed = await place(order('prod-dipirona-500mg', 1));
    // Act
    const stranger = await p.call('GET', `/orders/${placed.body.orderId}`, {
      token: await p.token('customer2'),
    });
    const admin = await p.call('GET', `/orders/${placed.body.orderId}`, { token: await p.token('admin') });
    const mine = await p.call('GET', '/orders?limit=100', { token: await p.token('customer') });
    const theirs = await p.call('GET', '/orders?limit=100', { token: await p.token('customer2') });
    // Assess
    expect(stranger.status).toBe(404);
    expect(admin.status).toBe(200);
    expect(mine.body.items.map((o: { orderId: string }) => o.orderId)).toContain(placed.body.orderId);
    expect(theirs.body.items.map((o: { orderId: string }) => o.orderId)).not.toContain(placed.body.orderId);
    expect(await p.call('POST', '/orders', { body: order('prod-dipirona-500mg', 1) })).toMatchObject({
      status: 401,
    });
  });

  it.each([
    ['no items', { items: [], payment: { method: 'card', token: 'tok_approved' } }, 'body.items'],
    ['a zero quantity', order('prod-cafe-500g', 0), 'body.items.0.quantity'],
    [
      'an unknown payment token',
      { ...order('prod-cafe-500g', 1), payment: { method: 'card', token: 'tok_x' } },
      'body.payment.token',
    ],
    ['a body that is not JSON', '{"items": [', 'body'],
  ])('answers 400 naming the field for %s, and creates nothing', async (_name, body, field) => {
    // Prepare
    const token = await p.token('customer2');
    const before = (await p.call('GET', '/orders?limit=100', { token })).body.items.length;
    // Act
    const res = await p.call('POST', '/orders', { token, body });
    // Assess
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await p.call('GET', '/orders?limit=100', { token })).body.items.length).toBe(before);
  });

  it('brings 200 concurrent orders for scarce stock to a final state each, never overselling', async () => {
    // Prepare
    const productId = 'prod-protetor-fps50';
    const before = await available(productId);
    // Act
    const placed = await Promise.all(
      Array.from({ length: 200 }, (_, i) => place(order(productId, 1), i % 2 ? 'customer' : 'customer2')),
    );
    // Assess
    expect(placed.every((r) => r.status === 202)).toBe(true);
    const finals = [];
    for (const r of placed) finals.push(await finalState(r.body.orderId, 'admin'));
    const completed = finals.filter((o) => o.status === 'COMPLETED').length;
    const rejected = finals.filter((o) => o.status === 'REJECTED').length;
    expect(completed + rejected).toBe(200);
    expect(completed).toBe(before);
    expect(await available(productId)).toBe(0);
  }, 300000);
});

describe('catalog administration', () => {
  it('lets an admin add, edit, restock and adjust a product, never below zero, and refuses customers', async () => {
    // Prepare
    const admin = await p.token('admin');
    const sku = `E2E-${Date.now()}`;
    // Act
    const created = await p.call('POST', '/products', {
      token: admin,
      body: { sku, name: 'Erva-mate 1 kg', price: 1899, stock: 3 },
    });
    const duplicate = await p.call('POST', '/products', {
      token: admin,
      body: { sku, name: 'Outra', price: 1, stock: 0 },
    });
    const id = created.body.id;
    const edited = await p.call('PUT', `/products/${id}`, {
      token: admin,
      body: { name: 'Erva-mate 1 kg (nova)', price: 1999 },
    });
    const restocked = await p.call('POST', `/products/${id}/stock`, {
      token: admin,
      body: { delta: 7, reason: 'delivery' },
    });
    const tooMuch = await p.call('POST', `/products/${id}/stock`, {
      token: admin,
      body: { delta: -11, reason: 'breakage' },
    });
    const byCustomer = await p.call('POST', '/products', {
      token: await p.token('customer'),
      body: { sku: `${sku}-X`, name: 'x', price: 1, stock: 1 },
    });
    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ sku, price: 1899, stock: { available: 3 } });
    expect(duplicate.status).toBe(409);
    expect(edited.body).toMatchObject({
      name: 'Erva-mate 1 kg (nova)',
      price: 1999,
      stock: { available: 3 },
    });
    expect(restocked.body.stock.available).toBe(10);
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.errors[0].field).toBe('body.delta');
    expect(byCustomer.status).toBe(403);
    expect((await p.call('GET', `/products/${id}`)).body.stock.available).toBe(10);
  });

  it('answers 400, never 500, to a page token it did not issue, and fills pages of a status filter', async () => {
    // Prepare
    const admin = await p.token('admin');
    const forged = Buffer.from(
      JSON.stringify({ pk: 'ORDER#x', sk: 'ORDER', gsi2pk: 'ORDERS', gsi2sk: 5 }),
    ).toString('base64url');
    // Act
    const orders = await p.call('GET', '/orders?nextToken=bm90LWEtdG9rZW4', { token: admin });
    const forgedOrders = await p.call('GET', `/orders?nextToken=${forged}`, { token: admin });
    const products = await p.call('GET', `/products?nextToken=${forged}`);
    const completed = await p.call('GET', '/orders?status=COMPLETED&limit=2', { token: admin });
    // Assess
    expect([orders.status, forgedOrders.status, products.status]).toEqual([400, 400, 400]);
    expect(orders.body.errors[0].field).toBe('query.nextToken');
    expect(completed.status).toBe(200);
    expect(completed.body.items).toHaveLength(2);
    expect(completed.body.items.every((o: { status: string }) => o.status === 'COMPLETED')).toBe(true);
  });

  it('answers browsers from the configured origins only (CORS as the deployed API would)', async () => {
    // Act
    const preflight = await fetch(`${p.api}/products`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3002', 'Access-Control-Request-Method': 'GET' },
    });
    const allowed = await fetch(`${p.api}/products?limit=1`, {
      headers: { Origin: 'http://127.0.0.1:3002' },
    });
    const other = await fetch(`${p.api}/products?limit=1`, {
      headers: { Origin: 'https://evil.example.com' },
    });
    // Assess
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3002');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3002');
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a product in another currency, or with a field it does not know, naming it', async () => {
    // Prepare
    const admin = await p.token('admin');
    const sku = `E2E-USD-${Date.now()}`;
    // Act
    const usd = await p.call('POST', '/products', {
      token: admin,
      body: { sku, name: 'Imported', price: 999, stock: 1, currency: 'USD' },
    });
    const extra = await p.call('POST', '/products', {
      token: admin,
      body: { sku, name: 'Imported', price: 999, stock: 1, colour: 'red' },
    });
    // Assess
    expect(usd.status).toBe(400);
    expect(usd.headers.get('content-type')).toContain('application/problem+json');
    expect(usd.body.errors).toEqual([{ field: 'body.currency', message: 'only BRL is supported' }]);
    expect(extra.status).toBe(400);
    expect(extra.body.errors[0].field).toBe('body.colour');
    expect((await p.call('GET', `/products/prod-${sku.toLowerCase()}`)).status).toBe(404);
  });

  it('stops one caller past its rate limit with 429 while the other customers go on', async () => {
    // Prepare: a session of its own for the flooding account, so the other tests keep their tokens.
    const u = p.cloud.outputs.users['customer2']!;
    const session = await p.cloud.clients.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: p.cloud.outputs.cognito.clientId!,
        AuthParameters: { USERNAME: u.username, PASSWORD: u.password },
      }),
    );
    const flooder = session.AuthenticationResult!.IdToken!;
    expect(flooder).not.toBe(await p.token('customer2'));
    const limit = DEFAULT_RATE_LIMITS.perCaller;
    // Act: one more request than the limit, 8 at a time.
    const statuses: number[] = [];
    let sent = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (sent < limit + 1) {
          sent++;
          statuses.push((await p.call('GET', '/orders?limit=1', { token: flooder })).status);
        }
      }),
    );
    const refused = await p.call('GET', '/orders?limit=1', { token: flooder });
    const other = await p.call('GET', '/orders?limit=1', { token: await p.token('customer') });
    // Assess
    expect(statuses.filter((s) => s === 200)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(refused.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(other.status).toBe(200);
  }, 120000);
});

describe('least privilege', () => {
  it("ran every case above under IAM enforcement from the stacks' roles, with no call denied", () => {
    expect(p.cloud.outputs.iam).toBe('enforce');
    expect(p.cloud.iam.denials()).toEqual([]);
  });
});
