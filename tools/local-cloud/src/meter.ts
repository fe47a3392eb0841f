import type http from 'node:http';
import { callerOf, startProxy } from './proxy';

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
    const { server, url } = await startProxy(target, (req, body) => {
      this.count(service, req, body);
      return false;
    });
    this.servers.push(server);
    return url;
  }

  private count(service: string, req: http.IncomingMessage, body: Buffer): void {
    const fn = callerOf(req);
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
