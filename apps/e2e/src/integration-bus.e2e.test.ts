import {
  DescribeArchiveCommand,
  DescribeReplayCommand,
  EventBridgeClient,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { startPlatform, type Platform } from './platform';

// The integration bus (issue 13, ADR 0015) on the local cloud: every committed domain event on the stage's
// bus, archived and audited; order outcomes posted to the webhook; a replay that changes nothing inside.
let p: Platform;
const ARCHIVE = 'order-platform-local';

interface Delivered {
  url: string;
  headers: Record<string, string>;
  body: {
    'detail-type': string;
    source: string;
    detail: { id: string; data: { orderId?: string } };
    'replay-name'?: string;
  };
}

beforeAll(async () => {
  p = await startPlatform();
}, 180000);
afterAll(() => p?.cloud.stop());

const store = async <T>(name: string): Promise<T> =>
  (await (await fetch(`${p.cloud.outputs.emulators['events']}/store/${name}`)).json()) as T;

describe('integration bus', () => {
  it('carries every event of an order, archives and audits them, posts its outcome, and a replay changes nothing inside', async () => {
    // Prepare: one order to its invoice.
    const token = await p.token('customer');
    const startedAt = new Date(Date.now() - 60_000);
    const placed = await p.call('POST', '/orders', {
      token,
      body: {
        items: [{ productId: 'prod-cafe-500g', quantity: 1 }],
        payment: { method: 'card', token: 'tok_approved' },
      },
    });
    expect(placed.status).toBe(202);
    const orderId = placed.body.orderId as string;
    await p.waitFor(async () =>
      (await p.call('GET', `/invoices/${orderId}`, { token })).status === 200 ? true : undefined,
    );
    const ofOrder = (events: { 'detail-type': string; detail: { data?: { orderId?: string } } }[]) =>
      events.filter((e) => e.detail.data?.orderId === orderId).map((e) => e['detail-type']);

    // Assess: on the bus, in the archive and in the audit log, each as its service committed it.
    const expected = ['OrderPlaced', 'StockReserved', 'OrderProcessing', 'OrderCompleted', 'InvoiceIssued'];
    const archived = await p.waitFor(async () => {
      const types = ofOrder(p.cloud.events.bus.archived(ARCHIVE) as never);
      return expected.every((t) => types.includes(t)) ? types : undefined;
    });
    expect(archived.filter((t) => t === 'OrderCompleted')).toHaveLength(1);
    const audit = await store<Record<string, Delivered['body'][]>>('log-groups');
    expect(ofOrder(audit[`/aws/events/${ARCHIVE}/audit`] as never)).toEqual(expect.arrayContaining(expected));
    const completed = p.cloud.events.bus
      .archived(ARCHIVE)
      .find(
        (e) =>
          e['detail-type'] === 'OrderCompleted' &&
          (e.detail as Delivered['body']['detail']).data.orderId === orderId,
      )!;
    expect(completed.source).toBe('order-platform.pedidos');
    // The outcome reached the webhook (recorded: the local cloud reaches no outside host) with its API key.
    const outcomes = () =>
      store<Delivered[]>('api-destinations').then((all) =>
        all.filter((d) => d.body.detail.data.orderId === orderId),
      );
    const posted = await p.waitFor(async () => ((await outcomes()).length ? await outcomes() : undefined));
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({
      url: 'https://erp.example.invalid/order-outcomes',
      headers: { 'x-api-key': 'local-erp-key' },
      body: { 'detail-type': 'OrderCompleted', detail: { id: (completed.detail as { id: string }).id } },
    });

    // Act: replay the archive over this order's time.
    const before = {
      orders: (await p.call('GET', '/orders?limit=100', { token })).body.items.length,
      stock: (await p.call('GET', '/products/prod-cafe-500g')).body.stock.available,
      invoice: (await p.call('GET', `/invoices/${orderId}`, { token })).body.number,
      emails: (await p.emails()).length,
    };
    const events = new EventBridgeClient({
      endpoint: p.cloud.outputs.emulators['events'],
      region: p.cloud.outputs.region,
      credentials: p.cloud.outputs.credentials,
    });
    const archive = await events.send(new DescribeArchiveCommand({ ArchiveName: ARCHIVE }));
    expect(archive.EventCount).toBeGreaterThanOrEqual(expected.length);
    await events
      .send(
        new StartReplayCommand({
          ReplayName: `e2e-${Date.now()}`,
          EventSourceArn: archive.ArchiveArn,
          EventStartTime: startedAt,
          EventEndTime: new Date(Date.now() + 1000),
          Destination: { Arn: archive.EventSourceArn! },
        }),
      )
      .then(async (started) => {
        const name = started.ReplayArn!.split('replay/').pop()!;
        await p.waitFor(async () => {
          const r = await events.send(new DescribeReplayCommand({ ReplayName: name }));
          return r.State === 'COMPLETED' ? r : undefined;
        });
      });
    await new Promise((r) => setTimeout(r, 2000));

    // Assess: the outcome was posted again, marked as a replay; nothing inside the platform moved.
    const again = await outcomes();
    expect(again.map((d) => d.body['replay-name'] ?? 'live')).toEqual([
      'live',
      expect.stringMatching(/^e2e-/),
    ]);
    expect({
      orders: (await p.call('GET', '/orders?limit=100', { token })).body.items.length,
      stock: (await p.call('GET', '/products/prod-cafe-500g')).body.stock.available,
      invoice: (await p.call('GET', `/invoices/${orderId}`, { token })).body.number,
      emails: (await p.emails()).length,
    }).toEqual(before);
    expect(p.cloud.events.bus.archived(ARCHIVE).filter((e) => e['replay-name'])).toEqual([]);
  });

  it("ran under IAM enforcement from the stacks' roles, with no call denied", () => {
    expect(p.cloud.outputs.iam).toBe('enforce');
    expect(p.cloud.iam.denials()).toEqual([]);
  });
});
