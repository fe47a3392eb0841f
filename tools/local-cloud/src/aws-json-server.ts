import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An error an AWS JSON 1.1 service answers with: its `__type` and message, status 400. */
export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/**
 * The request side of a service that speaks AWS JSON 1.1 (EventBridge, Secrets Manager...): a POST whose
 * `X-Amz-Target` is `<prefix>.<Operation>` and whose body is JSON, answered with JSON, or with
 * `{ __type, message }` and 400 when the operation throws (an AwsJsonError keeps its type; anything else is
 * `fallbackError`). `get` may answer plain GET requests (stores for tests) and returns false for others.
 */
export function awsJsonListener(o: {
  targetPrefix: string;
  operation: (action: string, input: Record<string, unknown>, req: http.IncomingMessage) => unknown;
  fallbackError: string;
  get?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
}): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && o.get?.(req, res)) return;
      try {
        const action = String(req.headers['x-amz-target'] ?? '').replace(`${o.targetPrefix}.`, '');
        if (req.method !== 'POST' || !action)
          throw new AwsJsonError(
            'UnknownOperationException',
            `Expected POST with X-Amz-Target ${o.targetPrefix}.<Operation>.`,
          );
        let input: Record<string, unknown>;
        try {
          input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        } catch {
          throw new AwsJsonError('SerializationException', 'The request body is not JSON.');
        }
        reply(200, o.operation(action, input, req));
      } catch (error) {
        const e =
          error instanceof AwsJsonError ? error : new AwsJsonError(o.fallbackError, (error as Error).message);
        reply(400, { __type: e.type, message: e.message });
      }
    });
  };
}

/** Listens on 127.0.0.1 (a free port by default); returns the server and its endpoint URL. */
export async function listenOnLoopback(
  listener: http.RequestListener,
  port = 0,
): Promise<{ server: http.Server; endpoint: string }> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A service the local cloud serves itself on loopback: its endpoint once started, and `stop()`. */
export abstract class LoopbackService {
  private server?: http.Server;
  endpoint = '';

  protected async listen(listener: http.RequestListener, port = 0): Promise<void> {
    const { server, endpoint } = await listenOnLoopback(listener, port);
    this.server = server;
    this.endpoint = endpoint;
  }

  stop(): void {
    this.server?.closeAllConnections();
    this.server?.close();
  }
}
