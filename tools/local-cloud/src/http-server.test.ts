import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { safeServer } from './http-server';

/** Sends a request with the path exactly as given (no client-side normalization). */
function raw(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('safeServer (the local gateways)', () => {
  let server: http.Server;
  let port: number;
  const logged: string[] = [];
  beforeAll(async () => {
    // A handler that decodes the path as the gateways do, and throws on /boom.
    server = safeServer(
      async (req, res) => {
        const path = decodeURIComponent(new URL(`http://local${req.url!}`).pathname);
        if (path === '/boom') throw new Error('handler failed');
        res.writeHead(200).end(path);
      },
      (line) => logged.push(line),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('answers 400 to a path with a malformed percent-escape, as API Gateway does', async () => {
    expect(await raw(port, '/orders/%E0%A4%A')).toBe(400);
    expect(await raw(port, '/products/%ZZ')).toBe(400);
    expect(await raw(port, '/orders/caf%C3%A9')).toBe(200);
  });

  it('answers 500 when the handler throws, logs it, and keeps serving', async () => {
    expect(await raw(port, '/boom')).toBe(500);
    expect(logged.at(-1)).toContain('handler failed');
    expect(await raw(port, '/after')).toBe(200);
  });

  it('never fails on 2,000 generated bad paths: each is a 400 or a 200', async () => {
    // Prepare: percent-escapes cut short, invalid hex, lone UTF-8 bytes and overlong sequences.
    const pieces = [
      '%',
      '%Z',
      '%E0',
      '%E0%A4',
      '%E0%A4%A',
      '%C0%AF',
      '%FF',
      '%80',
      '%41',
      'a',
      '/',
      '%2F',
      '%25',
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const paths = Array.from(
      { length: 2000 },
      () => `/${Array.from({ length: 1 + (next() % 6) }, () => pieces[next() % pieces.length]).join('')}`,
    );
    // Act
    const statuses = new Set<number>();
    for (const path of paths) statuses.add(await raw(port, path));
    // Assess
    expect([...statuses].sort()).toEqual([200, 400]);
  });
});
