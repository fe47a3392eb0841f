import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A proxy on 127.0.0.1 in front of an emulator: each request, body read, is offered to `intercept` (which
 * may answer it itself and return true, as a fault does) and otherwise forwarded as it came.
 */
export async function startProxy(
  target: string,
  intercept: (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => boolean,
): Promise<{ server: http.Server; url: string }> {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (intercept(req, body, res)) return;
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
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The calling function, from the SDK's user agent (`app/<label>`; Node's SDK sends it in `user-agent`). */
export function callerOf(req: http.IncomingMessage): string {
  const agent = `${req.headers['user-agent'] ?? ''} ${req.headers['x-amz-user-agent'] ?? ''}`;
  // Powertools appends its own `/PT/...` tag to the app id; the SDK writes `/` as `-`.
  return (/app\/(\S+)/.exec(agent)?.[1] ?? 'unknown').replace(/-PT-.*$/, '');
}
