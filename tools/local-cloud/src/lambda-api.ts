import type http from 'node:http';
import { LoopbackService } from './aws-json-server';
import { FunctionError } from './lambda-runtime';

/**
 * The Lambda API's `Invoke` (REST: `POST /2015-03-31/functions/<name or ARN>/invocations`), for functions
 * that invoke others (painel's operations view asks each service to replay its outbox). RequestResponse
 * answers the function's result, a function error as 200 with `X-Amz-Function-Error: Unhandled` and the
 * error payload, as Lambda does; `Event` answers 202 and runs it in the background. `authorize` checks the
 * caller's role (`lambda:InvokeFunction` on the function's ARN) and returns a denial message, if any.
 */
export class LocalLambdaApi extends LoopbackService {
  constructor(
    private readonly o: {
      invoke(name: string, payload: unknown): Promise<unknown>;
      has(name: string): boolean;
      arnOf(name: string): string;
      authorize(req: http.IncomingMessage, functionArn: string): string | undefined;
      log(line: string): void;
    },
  ) {
    super();
  }

  async start(): Promise<this> {
    await this.listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.answer(req, res, Buffer.concat(chunks)));
    });
    return this;
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> {
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(
      new URL(`http://l${req.url}`).pathname,
    );
    if (req.method !== 'POST' || !match)
      return reply(404, { Type: 'User', message: `Only Invoke is emulated (${req.method} ${req.url})` });
    const requested = decodeURIComponent(match[1]!);
    // A name, a partial ARN or a full ARN (with an optional qualifier, ignored: there is one version).
    const name = /function:([^:]+)/.exec(requested)?.[1] ?? requested;
    if (!this.o.has(name))
      return reply(
        404,
        { Type: 'User', message: `Function not found: ${requested}` },
        {
          'x-amzn-errortype': 'ResourceNotFoundException',
        },
      );
    const denied = this.o.authorize(req, this.o.arnOf(name));
    if (denied)
      return reply(403, { Type: 'User', message: denied }, { 'x-amzn-errortype': 'AccessDeniedException' });
    let payload: unknown;
    try {
      payload = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      return reply(
        400,
        { Type: 'User', message: 'Could not parse request body into json' },
        {
          'x-amzn-errortype': 'InvalidRequestContentException',
        },
      );
    }
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (type === 'Event') {
      this.o
        .invoke(name, payload)
        .catch((error: Error) => this.o.log(`${name} (async) failed: ${error.message}`));
      return reply(202, undefined);
    }
    try {
      const result = await this.o.invoke(name, payload);
      reply(200, result ?? null, { 'x-amz-executed-version': '$LATEST' });
    } catch (error) {
      const e = error as Error;
      const errorType = error instanceof FunctionError ? error.errorType : e.name;
      reply(200, { errorType, errorMessage: e.message }, { 'x-amz-function-error': 'Unhandled' });
    }
  }
}
