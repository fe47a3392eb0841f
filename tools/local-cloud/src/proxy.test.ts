import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startProxy } from './proxy';

let upstream: http.Server;
let target: string;
const received: string[] = [];

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString());
      res.end(`echo:${Buffer.concat(chunks).toString()}`);
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => upstream.close());

const post = async (url: string, body: string) => {
  const res = await fetch(url, { method: 'POST', body });
  return { status: res.status, text: await res.text() };
};

describe('stacked proxies', () => {
  it('run the inner layers in the outer hop, in order, and reach the emulator without the inner server', async () => {
    // Prepare: inner (closest to the emulator) refuses "deny", rewrites and watches; outer rewrites first.
    const seenByInner: string[] = [];
    const answers: string[] = [];
    const inner = await startProxy(
      target,
      (_req, body, res) => {
        seenByInner.push(body.toString());
        if (body.toString() !== 'deny!') return false;
        res.writeHead(403).end('refused by inner');
        return true;
      },
      {
        rewrite: (_req, body) => Buffer.from(`${body.toString()}+inner`),
        answered: (_req, sent, status, answer) =>
          answers.push(`${status} ${sent.toString()} → ${answer.toString()}`),
      },
    );
    const outer = await startProxy(inner.url, () => false, {
      rewrite: (_req, body) => Buffer.from(`${body.toString()}!`),
    });
    // Act: the inner server closed, so only a collapsed chain can answer.
    inner.server.close();
    const ok = await post(outer.url, 'hello');
    const denied = await post(outer.url, 'deny');
    // Assess
    expect(ok).toEqual({ status: 200, text: 'echo:hello!+inner' });
    expect(denied).toEqual({ status: 403, text: 'refused by inner' });
    expect(seenByInner).toEqual(['hello!', 'deny!']);
    expect(received).toEqual(['hello!+inner']);
    expect(answers).toEqual(['200 hello!+inner → echo:hello!+inner']);
    outer.server.close();
  });
});

describe('a proxy layer that fails', () => {
  it('answers that request with a 500 and keeps serving the next one', async () => {
    // Prepare
    const proxy = await startProxy(target, (_req, body) => {
      if (body.toString() === 'boom') throw new URIError('URI malformed');
      return false;
    });
    try {
      // Act
      const failed = await post(proxy.url, 'boom');
      const next = await post(proxy.url, 'fine');
      // Assess
      expect(failed).toEqual({ status: 500, text: 'local proxy: URI malformed' });
      expect(next).toEqual({ status: 200, text: 'echo:fine' });
    } finally {
      proxy.server.closeAllConnections();
      proxy.server.close();
    }
  });
});
