import { SendMessageCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { pdfText } from '@order-platform/testing/documents';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPlatform, type Platform } from './platform';

// The B2B channel through the public API: API key, model validation, SQS integration, intake consumer.
let p: Platform;
let apiKey: string;

beforeAll(async () => {
  p = await startPlatform();
  apiKey = p.cloud.outputs.apiKeys.find((k) => k.name === 'farmacia-demo')!.apiKey;
}, 180000);
afterAll(() => p?.cloud.stop());

const partnerOrder = (ref: string, items: unknown[] = [{ sku: 'DIPIRONA-500MG', quantity: 2 }]) => ({
  partnerOrderRef: ref,
  items,
  deliverTo: { name: 'Loja 12', city: 'Campinas', state: 'SP' },
});

const send = (body: unknown, key: string | null = apiKey) =>
  p.call('POST', '/partner/orders', { body, headers: key ? { 'x-api-key': key } : {} });

async function finalOrder(ref: string, key = apiKey) {
  return p.waitFor(async () => {
    const res = await p.call('GET', `/partner/orders/${ref}`, { headers: { 'x-api-key': key } });
    return res.status === 200 && ['COMPLETED', 'REJECTED', 'CANCELLED'].includes(res.body.status)
      ? res.body
      : undefined;
  });
}

describe('partner channel', () => {
  it('takes a partner order through the queue to COMPLETED and invoices it', async () => {
    // Prepare
    const ref = `ph-${Date.now()}`;
    // Act
    const accepted = await send(partnerOrder(ref));
    // Assess
    expect(accepted.status).toBe(202);
    expect(accepted.body.messageId).toEqual(expect.any(String));
    const order = await finalOrder(ref);
    expect(order).toMatchObject({
      partnerOrderRef: ref,
      status: 'COMPLETED',
      channel: 'partner',
      total: 2 * 650,
    });
    const invoiced = await p.waitFor(async () => {
      const res = await p.call('GET', `/partner/orders/${ref}`, { headers: { 'x-api-key': apiKey } });
      return res.body.invoice ? res.body : undefined;
    });
    expect(invoiced.invoice.number).toBeGreaterThan(0);
    // Admins see the channel, the partner and its reference; the store's address is on the order.
    const admin = await p.call('GET', `/orders/${order.orderId}`, { token: await p.token('admin') });
    expect(admin.body).toMatchObject({
      channel: 'partner',
      partnerId: 'farmacia-demo',
      partnerOrderRef: ref,
      deliveryAddress: { name: 'Loja 12', city: 'Campinas', state: 'SP' },
    });
    // The invoice names the partner's legal entity with its CNPJ, and the store.
    const invoice = await p.call('GET', `/invoices/${order.orderId}`, { token: await p.token('admin') });
    const text = pdfText(Buffer.from(await (await fetch(invoice.body.pdfUrl)).arrayBuffer()));
    expect(text).toContain('Farmácia Demo Ltda');
    expect(text).toContain('CNPJ: 11222333000181');
    expect(text).toContain('Loja 12');
  });

  it('refuses a request without a key (403) and an invalid body (400), queuing nothing', async () => {
    // Act
    const noKey = await send(partnerOrder('no-key'), null);
    const invalid = await send({ partnerOrderRef: 'bad', items: [], deliverTo: {} });
    const wrongKey = await send(partnerOrder('wrong-key'), 'not-a-key');
    // Assess
    expect(noKey.status).toBe(403);
    expect(wrongKey.status).toBe(403);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.join(' ')).toMatch(/items|anyOf/);
    await new Promise((r) => setTimeout(r, 1500));
    for (const ref of ['no-key', 'bad', 'wrong-key']) {
      expect(
        (await p.call('GET', `/partner/orders/${ref}`, { headers: { 'x-api-key': apiKey } })).status,
      ).toBe(404);
    }
  });

  it('makes one order of the same partnerOrderRef sent twice', async () => {
    // Prepare
    const ref = `dup-${Date.now()}`;
    // Act
    await send(partnerOrder(ref));
    await send(partnerOrder(ref));
    // Assess
    const order = await finalOrder(ref);
    const all = await p.call('GET', '/orders?limit=100', { token: await p.token('admin') });
    expect(all.body.items.filter((o: { orderId: string }) => o.orderId === order.orderId)).toHaveLength(1);
    expect(
      all.body.items.filter((o: { channel: string; createdAt: string }) => o.channel === 'partner').length,
    ).toBeGreaterThan(0);
  });

  it('makes 25 orders of a batch of 25', async () => {
    // Prepare
    const stamp = Date.now();
    const orders = Array.from({ length: 25 }, (_, i) =>
      partnerOrder(`batch-${stamp}-${i}`, [{ sku: 'FEIJAO-1KG', quantity: 1 }]),
    );
    // Act
    const accepted = await send({ orders });
    // Assess
    expect(accepted.status).toBe(202);
    const finals = [];
    for (const o of orders) finals.push(await finalOrder(o.partnerOrderRef));
    expect(finals.map((o) => o.status)).toEqual(Array(25).fill('COMPLETED'));
    expect(new Set(finals.map((o) => o.orderId)).size).toBe(25);
  });

  it('turns an unknown SKU into a REJECTED order the partner can read', async () => {
    // Prepare
    const ref = `sku-${Date.now()}`;
    // Act
    await send(partnerOrder(ref, [{ sku: 'NAO-EXISTE', quantity: 1 }]));
    // Assess
    const order = await finalOrder(ref);
    expect(order.status).toBe('REJECTED');
    expect(order.statusHistory.at(-1).reason).toContain('prod-nao-existe');
  });
});

describe('partner administration', () => {
  const partner = (partnerId: string) => ({
    partnerId,
    name: `Drogaria ${partnerId}`,
    email: `compras@${partnerId}.example.com`,
    billing: {
      legalName: `Drogaria ${partnerId} Ltda`,
      taxId: '12345678000199',
      address: 'Rua A, 1, Campinas SP',
    },
  });
  const register = async (body: unknown, user: 'admin' | 'customer' = 'admin') =>
    p.call('POST', '/partners', { token: await p.token(user), body });

  it('lets an admin register a partner whose new key places an order that completes; then disable it (403)', async () => {
    // Prepare
    const id = `sul-${Date.now()}`;
    // Act: register.
    const created = await register(partner(id));
    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ partnerId: id, status: 'ACTIVE', customerId: `partner-${id}` });
    const key: string = created.body.apiKey;
    expect(key).toMatch(/^\w{20,}$/);
    // Act: the new key at work.
    const ref = `new-${Date.now()}`;
    const accepted = await send(partnerOrder(ref), key);
    // Assess
    expect(accepted.status).toBe(202);
    expect((await finalOrder(ref, key)).status).toBe('COMPLETED');
    // Act: disable it.
    const disabled = await p.call('POST', `/partners/${id}/disable`, { token: await p.token('admin') });
    const refused = await send(partnerOrder(`after-${Date.now()}`), key);
    const poll = await p.call('GET', `/partner/orders/${ref}`, { headers: { 'x-api-key': key } });
    // Assess
    expect(disabled.status).toBe(200);
    expect(disabled.body.status).toBe('DISABLED');
    expect(refused.status).toBe(403);
    expect(poll.status).toBe(403);
    // The demo partner is untouched.
    expect((await send(partnerOrder(`demo-${Date.now()}`))).status).toBe(202);
  });

  it('refuses a customer (403), an invalid partner (400 naming the fields), a taken id (409), an unknown id (404)', async () => {
    // Act
    const byCustomer = await register(partner(`c-${Date.now()}`), 'customer');
    const invalid = await register({
      partnerId: 'X',
      name: '',
      email: 'nope',
      billing: { legalName: 'A', taxId: '123' },
    });
    const taken = await register(partner('farmacia-demo'));
    const unknown = await p.call('POST', '/partners/nobody-here/disable', { token: await p.token('admin') });
    // Assess
    expect(byCustomer.status).toBe(403);
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['body.billing.taxId', 'body.email', 'body.name', 'body.partnerId'].sort(),
    );
    expect(taken.status).toBe(409);
    expect(unknown.status).toBe(404);
  });

  it("throttles a partner past its plan's burst (429) and queues none of it", async () => {
    // Prepare: a partner of its own, so no other test shares its bucket.
    const created = await register(partner(`burst-${Date.now()}`));
    const key: string = created.body.apiKey;
    // Act: 100 requests at once against a burst of 40 refilled at 20 a second (bodies invalid, so nothing
    // could be queued anyway).
    const started = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: 100 }, () => send({ partnerOrderRef: 'burst', items: [], deliverTo: {} }, key)),
    );
    const seconds = (Date.now() - started) / 1000;
    // Assess: a token bucket lets through at most the burst plus what refilled meanwhile.
    const counts = statuses.reduce<Record<number, number>>(
      (c, r) => ({ ...c, [r.status]: (c[r.status] ?? 0) + 1 }),
      {},
    );
    expect(counts[429]).toBeGreaterThanOrEqual(Math.min(59, 100 - 40 - Math.ceil(20 * seconds)));
    expect(counts[429]).toBeGreaterThan(0);
    expect(Object.keys(counts).sort()).toEqual(['400', '429']);
  });

  it('stops a trial partner at its daily quota of 100 requests (429 Limit Exceeded)', async () => {
    // Prepare
    const created = await register({ ...partner(`trial-${Date.now()}`), plan: 'trial' });
    expect(created.body.plan).toBe('trial');
    const key: string = created.body.apiKey;
    const invalid = { partnerOrderRef: 'quota', items: [], deliverTo: {} };
    // Act: waves of 20 a second (under the throttle) until the quota answers.
    let counted = 0;
    let limited: { status: number; body: { message: string } } | undefined;
    for (let wave = 0; wave < 10 && !limited; wave++) {
      for (const res of await Promise.all(Array.from({ length: 20 }, () => send(invalid, key)))) {
        if (res.status === 400) counted += 1;
        else if (res.status === 429 && res.body.message === 'Limit Exceeded') limited = res;
      }
      if (!limited) await new Promise((r) => setTimeout(r, 1100));
    }
    const valid = await send(partnerOrder(`trial-after-${Date.now()}`), key);
    // Assess
    expect(counted).toBe(100);
    expect(limited?.status).toBe(429);
    expect(valid.status).toBe(429);
  });

  it("posts the order's final status to the partner's callback, signed, and retries a refused delivery", async () => {
    // Prepare: the partner's receiver on the loopback address refuses the first delivery.
    const deliveries: { at: number; headers: http.IncomingHttpHeaders; body: string; answered: number }[] =
      [];
    const receiver = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const answered = deliveries.length === 0 ? 503 : 200;
      deliveries.push({
        at: Date.now(),
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        answered,
      });
      res.writeHead(answered).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/orders`;
      const created = await register({ ...partner(`cb-${Date.now()}`), callbackUrl });
      expect(created.status).toBe(201);
      const { apiKey: key, callbackSecret } = created.body as { apiKey: string; callbackSecret: string };
      expect(callbackSecret).toMatch(/^[0-9a-f]{64}$/);
      // Act
      const ref = `cb-${Date.now()}`;
      expect((await send(partnerOrder(ref), key)).status).toBe(202);
      // Assess
      await p.waitFor(async () => (deliveries.some((d) => d.answered === 200) ? true : undefined), 90000);
      expect(deliveries.map((d) => d.answered)).toEqual([503, 200]);
      expect(deliveries[1]!.at - deliveries[0]!.at).toBeGreaterThanOrEqual(4000);
      const [first, second] = deliveries;
      expect(second!.body).toBe(first!.body);
      expect(second!.headers['x-order-platform-delivery']).toBe(first!.headers['x-order-platform-delivery']);
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(
        String(second!.headers['x-order-platform-signature']),
      )!;
      expect(v1).toBe(createHmac('sha256', callbackSecret).update(`${t}.${second!.body}`).digest('hex'));
      expect(JSON.parse(second!.body)).toMatchObject({
        type: 'order.final',
        partnerOrderRef: ref,
        status: 'COMPLETED',
        total: 2 * 650,
        currency: 'BRL',
      });
    } finally {
      receiver.closeAllConnections();
      await new Promise((r) => receiver.close(r));
    }
  });

  it('refuses a callback URL that is neither https nor loopback', async () => {
    const res = await register({
      ...partner(`cbx-${Date.now()}`),
      callbackUrl: 'http://partner.example.com/hook',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.callbackUrl']);
  });

  describe('what passes the gateway always fits the queue, and each order is taken on its own', () => {
    const intakeQueue = () =>
      Object.entries(p.cloud.outputs.resources).find(
        ([k]) => k.includes('/PartnerIntakeQueue') && !k.includes('Dlq') && !k.includes('Policy'),
      )![1];

    it('refuses at the gateway what the queue could not take or the consumer would not read (400)', async () => {
      // Act
      const responses = await Promise.all([
        send({ ...partnerOrder('ws-1'), partnerOrderRef: '   ' }),
        send(partnerOrder('big-1', [{ sku: 'DIPIRONA-500MG', quantity: 2 ** 60 }])),
        send({
          ...partnerOrder('deep-1'),
          deliverTo: { name: 'a', city: 'b', state: 'SP', x: { y: { z: {} } } },
        }),
        send({
          ...partnerOrder('ffff-1'),
          deliverTo: { name: 'Loja \uffff', city: 'Campinas', state: 'SP' },
        }),
        send({ ...partnerOrder('extra-1'), note: 'hi' }),
      ]);
      // Assess
      expect(responses.map((r) => r.status)).toEqual([400, 400, 400, 400, 400]);
    });

    it('tells the partner when the queue refuses an order, and stores nothing', async () => {
      // Prepare: the queue takes 1 KiB at most, for a moment.
      const QueueUrl = intakeQueue();
      await p.cloud.clients.sqs.send(
        new SetQueueAttributesCommand({ QueueUrl, Attributes: { MaximumMessageSize: '1024' } }),
      );
      const ref = `refused-${Date.now()}`;
      const big = partnerOrder(
        ref,
        Array.from({ length: 30 }, (_, i) => ({ sku: `SKU-${i}-${'X'.repeat(20)}`, quantity: 1 })),
      );
      // Act
      const res = await send(big).finally(() =>
        p.cloud.clients.sqs.send(
          new SetQueueAttributesCommand({ QueueUrl, Attributes: { MaximumMessageSize: '262144' } }),
        ),
      );
      // Assess
      expect(res.status).toBe(502);
      expect(res.body.message).toMatch(/not stored/);
      expect(res.body.code).toMatch(/InvalidParameterValue/);
      await new Promise((r) => setTimeout(r, 1500));
      expect(
        (await p.call('GET', `/partner/orders/${ref}`, { headers: { 'x-api-key': apiKey } })).status,
      ).toBe(404);
    });

    it('admits each order of a queued batch on its own: a bad one is REJECTED and readable, the rest complete', async () => {
      // Prepare: a message as an older gateway model would have let through, straight onto the queue.
      const demo = p.cloud.outputs.apiKeys.find((k) => k.name === 'farmacia-demo')!;
      const t = Date.now();
      const body = {
        orders: [
          partnerOrder(`mix-ok-${t}`),
          partnerOrder(`mix-bad-${t}`, [{ sku: 'DIPIRONA-500MG', quantity: 0 }]),
          partnerOrder(`mix-dup-${t}`, [
            { sku: 'DIPIRONA-500MG', quantity: 1 },
            { productId: 'prod-dipirona-500mg', quantity: 2 },
          ]),
        ],
      };
      // Act
      await p.cloud.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: intakeQueue(),
          MessageBody: JSON.stringify(body),
          MessageAttributes: { apiKeyId: { DataType: 'String', StringValue: demo.apiKeyId! } },
        }),
      );
      // Assess
      const [ok, bad, dup] = await Promise.all([
        finalOrder(`mix-ok-${t}`),
        finalOrder(`mix-bad-${t}`),
        finalOrder(`mix-dup-${t}`),
      ]);
      expect(ok.status).toBe('COMPLETED');
      expect(bad.status).toBe('REJECTED');
      expect(bad.statusHistory.at(-1).reason).toMatch(/items\.0\.quantity/);
      expect(dup.status).toBe('COMPLETED');
      expect(dup.total).toBe(3 * 650);
    });
  });
});

describe('least privilege', () => {
  it("ran every case above under IAM enforcement from the stacks' roles, with no call denied", () => {
    expect(p.cloud.outputs.iam).toBe('enforce');
    expect(p.cloud.iam.denials()).toEqual([]);
  });
});
