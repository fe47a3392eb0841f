import { startPlatform, type Platform } from './platform';

// The B2B channel through the public API: API key, model validation, SQS integration, intake consumer.
let p: Platform;
let apiKey: string;

beforeAll(async () => {
  p = await startPlatform();
  apiKey = p.cloud.outputs.partners.find((k) => k.name === 'farmacia-demo')!.apiKey;
}, 180000);
afterAll(() => p?.cloud.stop());

const partnerOrder = (ref: string, items: unknown[] = [{ sku: 'DIPIRONA-500MG', quantity: 2 }]) => ({
  partnerOrderRef: ref,
  items,
  deliverTo: { name: 'Loja 12', city: 'Campinas', state: 'SP' },
});

const send = (body: unknown, key: string | null = apiKey) =>
  p.call('POST', '/partner/orders', { body, headers: key ? { 'x-api-key': key } : {} });

async function finalOrder(ref: string) {
  return p.waitFor(async () => {
    const res = await p.call('GET', `/partner/orders/${ref}`, { headers: { 'x-api-key': apiKey } });
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
