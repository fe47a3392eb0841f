import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a metering proxy may do besides forwarding: rewrite the request body, and see the answer. */
export interface ProxyHooks {
  /** The body to forward instead of the one received (content-length follows). */
  rewrite?(req: http.IncomingMessage, body: Buffer): Buffer;
  /** Called with the upstream's answer once it is complete (the answer is then buffered, not streamed). */
  answered?(req: http.IncomingMessage, body: Buffer, status: number, answer: Buffer): void;
}

/**
 * A proxy on 127.0.0.1 in front of an emulator: each request, body read, is offered to `intercept` (which
 * may answer it itself and return true, as a fault does) and otherwise forwarded as it came.
 */
export async function startProxy(
  target: string,
  intercept: (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => boolean,
  hooks: ProxyHooks = {},
): Promise<{ server: http.Server; url: string }> {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = Buffer.concat(chunks);
      if (intercept(req, received, res)) return;
      const body = hooks.rewrite ? hooks.rewrite(req, received) : received;
      const headers =
        body === received ? req.headers : { ...req.headers, 'content-length': String(body.length) };
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          if (!hooks.answered) return void up.pipe(res);
          const answer: Buffer[] = [];
          up.on('data', (c: Buffer) => {
            answer.push(c);
            res.write(c);
          });
          up.on('end', () => {
            res.end();
            hooks.answered!(req, body, up.statusCode ?? 502, Buffer.concat(answer));
          });
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
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The calling function, from the SDK's user agent (`app/<label>`; Node's SDK sends it in `user-agent`). */
export function callerOf(req: http.IncomingMessage): string {
  const agent = `${req.headers['user-agent'] ?? ''} ${req.headers['x-amz-user-agent'] ?? ''}`;
  // Powertools appends its own `/PT/...` tag to the app id; the SDK writes `/` as `-`.
  return (/app\/(\S+)/.exec(agent)?.[1] ?? 'unknown').replace(/-PT-.*$/, '');
}
