import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpPartnerCallbacks, mayConnect, signature } from './http-partner.callbacks';

describe('HttpPartnerCallbacks', () => {
  let server: http.Server;
  let url: string;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let answer = 204;
  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answer).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('signs the timestamp and body with HMAC-SHA256 and throws when the partner does not answer 2xx', async () => {
    // Prepare
    const callbacks = new HttpPartnerCallbacks({
      allowLoopback: true,
      now: () => new Date('2026-11-23T10:00:00Z'),
    });
    // Act
    await callbacks.deliver(url, 'sekret', 'evt-1', { hello: 'world' });
    answer = 500;
    const refused = callbacks.deliver(url, 'sekret', 'evt-2', { hello: 'again' });
    // Assess
    await expect(refused).rejects.toThrow('HTTP 500');
    const [first] = received;
    const t = 1795428000;
    expect(first!.headers['x-order-platform-delivery']).toBe('evt-1');
    expect(first!.headers['x-order-platform-signature']).toBe(
      `t=${t},v1=${createHmac('sha256', 'sekret').update(`${t}.${first!.body}`).digest('hex')}`,
    );
    expect(signature('sekret', t, first!.body)).toBe(first!.headers['x-order-platform-signature']);
    expect(JSON.parse(first!.body)).toEqual({ hello: 'world' });
  });

  it('refuses to call loopback, private or link-local addresses outside the local stage, and plain http', async () => {
    // Prepare
    const callbacks = new HttpPartnerCallbacks();
    const before = received.length;
    // Act + Assess
    await expect(callbacks.deliver(url, 's', 'e', {})).rejects.toThrow(/only https/);
    for (const target of [
      'https://127.0.0.1:1/cb',
      'https://localhost:1/cb',
      'https://10.1.2.3/cb',
      'https://[::1]:1/cb',
    ])
      await expect(callbacks.deliver(target, 's', 'e', {})).rejects.toThrow(/not reachable for callbacks/);
    expect(received.length).toBe(before);
    expect(mayConnect('169.254.169.254', false)).toBe(false);
    expect(mayConnect('::ffff:192.168.0.1', false)).toBe(false);
    expect(mayConnect('fd00::1', false)).toBe(false);
    expect(mayConnect('8.8.8.8', false)).toBe(true);
    expect(mayConnect('127.0.0.1', true)).toBe(true);
    expect(mayConnect('10.0.0.1', true)).toBe(false);
  });
});
