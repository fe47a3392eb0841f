import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Counts the calls functions make to an emulator, by calling function (the SDK's `app/<label>` user agent)
 * and operation (`X-Amz-Target`, or the query protocol's `Action`), for profiling and cost models. A
 * transparent proxy: it forwards every request as it came.
 */
export class Meter {
  private readonly counts = new Map<string, number>();
  private readonly servers: http.Server[] = [];

  /** A counting proxy in front of `target` (an emulator's endpoint); its URL. */
  async proxy(service: string, target: string): Promise<string> {
    const upstream = new URL(target);
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        this.count(service, req, body);
        const forward = http.request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        forward.on('error', (error) => {
          res.writeHead(502);
          res.end(error.message);
        });
        forward.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private count(service: string, req: http.IncomingMessage, body: Buffer): void {
    // Node's SDK sends `app/<id>` in `user-agent` (and a short `x-amz-user-agent` besides).
    const agent = `${req.headers['user-agent'] ?? ''} ${req.headers['x-amz-user-agent'] ?? ''}`;
    // Powertools appends its own `/PT/...` tag to the app id; the SDK writes `/` as `-`.
    const fn = (/app\/(\S+)/.exec(agent)?.[1] ?? 'unknown').replace(/-PT-.*$/, '');
    const target = String(req.headers['x-amz-target'] ?? '')
      .split('.')
      .pop();
    const action = target || new URLSearchParams(body.toString('utf8')).get('Action') || req.method || '?';
    const key = `${fn}\t${service}.${action}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** The calls counted so far, most frequent first. */
  calls(): { fn: string; operation: string; count: number }[] {
    return [...this.counts]
      .map(([key, count]) => {
        const [fn, operation] = key.split('\t') as [string, string];
        return { fn, operation, count };
      })
      .sort((a, b) => b.count - a.count);
  }

  reset(): void {
    this.counts.clear();
  }

  stop(): void {
    for (const server of this.servers) {
      server.closeAllConnections();
      server.close();
    }
  }
}
