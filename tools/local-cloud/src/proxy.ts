import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a metering proxy may do besides forwarding: rewrite the request body, and see the answer. */
export interface ProxyHooks {
  /** The body to forward instead of the one received (content-length follows). */
  rewrite?(req: http.IncomingMessage, body: Buffer): Buffer;
  /** Called with the upstream's answer once it is complete (the answer is then buffered, not streamed). */
  answered?(req: http.IncomingMessage, body: Buffer, status: number, answer: Buffer): void;
}

type Intercept = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => boolean;
interface Layer {
  intercept: Intercept;
  hooks: ProxyHooks;
}

/**
 * Every proxy started here, by URL: its layers and the emulator they end at. A proxy put in front of
 * another one runs that one's layers itself and forwards to the emulator directly: each hop over loopback
 * TCP costs about a millisecond of CPU on a small machine (the sender's write carries the receiver's
 * network work), and a function's DynamoDB call went through up to three of them (faults, metering, IAM).
 */
const chains = new Map<string, { target: string; layers: Layer[] }>();

/**
 * A proxy on 127.0.0.1 in front of an emulator: each request, body read, is offered to `intercept` (which
 * may answer it itself and return true, as a fault does) and otherwise forwarded as it came. When `target`
 * is another proxy of this module, its layers run after this one's, in the same hop.
 */
export async function startProxy(
  target: string,
  intercept: Intercept,
  hooks: ProxyHooks = {},
): Promise<{ server: http.Server; url: string }> {
  const inner = chains.get(target);
  const layers: Layer[] = [{ intercept, hooks }, ...(inner?.layers ?? [])];
  const upstream = new URL(inner?.target ?? target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = Buffer.concat(chunks);
      let body: Buffer = received;
      // What each layer that watches answers forwarded (its own rewrite included).
      const watching: [NonNullable<ProxyHooks['answered']>, Buffer][] = [];
      try {
        for (const layer of layers) {
          if (layer.intercept(req, body, res)) return;
          if (layer.hooks.rewrite) body = layer.hooks.rewrite(req, body);
          if (layer.hooks.answered) watching.push([layer.hooks.answered, body]);
        }
      } catch (error) {
        // A layer that fails on what a client sent answers that request with a 500; the proxy goes on serving.
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`local proxy: ${(error as Error).message}`);
        return;
      }
      const headers =
        body === received ? req.headers : { ...req.headers, 'content-length': String(body.length) };
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          if (!watching.length) return void up.pipe(res);
          const answer: Buffer[] = [];
          up.on('data', (c: Buffer) => {
            answer.push(c);
            res.write(c);
          });
          up.on('end', () => {
            res.end();
            const whole = Buffer.concat(answer);
            for (const [answered, sent] of watching) answered(req, sent, up.statusCode ?? 502, whole);
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
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  chains.set(url, { target: inner?.target ?? target, layers });
  server.once('close', () => chains.delete(url));
  return { server, url };
}

/** The calling function, from the SDK's user agent (`app/<label>`; Node's SDK sends it in `user-agent`). */
export function callerOf(req: http.IncomingMessage): string {
  const agent = `${req.headers['user-agent'] ?? ''} ${req.headers['x-amz-user-agent'] ?? ''}`;
  // Powertools appends its own `/PT/...` tag to the app id; the SDK writes `/` as `-`.
  return (/app\/(\S+)/.exec(agent)?.[1] ?? 'unknown').replace(/-PT-.*$/, '');
}
