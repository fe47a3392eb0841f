import http from 'node:http';
import { safeServer } from './http-server';
import type { LocalIam } from './iam';
import type { ApiKey, UsagePlans } from './usage-plans';

/**
 * The slice of the API Gateway control plane functions use at run time, on a local port that
 * `AWS_ENDPOINT_URL_API_GATEWAY` points at: API keys (create, get, update `/enabled` and `/name`, delete)
 * usage plan keys (create) and a plan's usage (`GetUsage`, the current quota period). It changes the same keys the REST gateway checks, so a key created or
 * disabled here is honoured by the next request. Shapes follow `@aws-sdk/client-api-gateway`.
 */
export function startApiGatewayControl(options: {
  usagePlans: UsagePlans;
  log: (line: string) => void;
  /** Checks the functions' calls against their roles (`apigateway:<METHOD>` on the path's ARN). */
  iam?: LocalIam;
  region?: string;
}): Promise<{ server: http.Server; url: string }> {
  const { usagePlans } = options;
  const keyView = (k: ApiKey, includeValue: boolean) => ({
    id: k.id,
    name: k.name,
    enabled: k.enabled,
    ...(includeValue ? { value: k.value } : {}),
    createdDate: Math.floor(Date.now() / 1000),
  });
  const server = safeServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length
      ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
      : {};
    const url = new URL(`http://local${req.url ?? '/'}`);
    const denial = options.iam?.authorize(req, [
      {
        action: `apigateway:${req.method}`,
        resources: [`arn:aws:apigateway:${options.region ?? 'us-east-1'}::${url.pathname}`],
        context: {},
      },
    ]);
    if (denial && options.iam?.refuses) {
      res.writeHead(403, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException' });
      return void res.end(JSON.stringify({ message: options.iam.deniedMessage(req, denial) }));
    }
    const reply = (status: number, payload?: unknown, errorType?: string) => {
      res.writeHead(status, {
        'Content-Type': 'application/json',
        ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
      });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
      options.log(`${req.method} ${url.pathname} → ${status}`);
    };
    const notFound = (what: string) =>
      reply(404, { message: `Invalid ${what} identifier specified` }, 'NotFoundException');
    let match: RegExpExecArray | null;
    if (req.method === 'POST' && url.pathname === '/apikeys') {
      const key = usagePlans.createKey(
        String(body['name'] ?? 'key'),
        body['enabled'] !== false,
        body['value'] as string | undefined,
      );
      return reply(201, keyView(key, true));
    }
    if ((match = /^\/apikeys\/([^/]+)$/.exec(url.pathname))) {
      const key = usagePlans.keys.get(decodeURIComponent(match[1]!));
      if (!key) return notFound('API Key');
      if (req.method === 'GET')
        return reply(200, keyView(key, url.searchParams.get('includeValue') === 'true'));
      if (req.method === 'DELETE') {
        usagePlans.deleteKey(key.id);
        return reply(202);
      }
      if (req.method === 'PATCH') {
        for (const op of (body['patchOperations'] as { op: string; path: string; value?: string }[]) ?? []) {
          if (op.op !== 'replace')
            return reply(400, { message: `Unsupported op ${op.op}` }, 'BadRequestException');
          if (op.path === '/enabled') key.enabled = op.value === 'true';
          else if (op.path === '/name') key.name = String(op.value);
          else return reply(400, { message: `Unsupported path ${op.path}` }, 'BadRequestException');
        }
        return reply(200, keyView(key, false));
      }
    }
    if (req.method === 'GET' && url.pathname === '/usageplans') {
      return reply(200, { item: usagePlans.list() });
    }
    if (req.method === 'GET' && (match = /^\/usageplans\/([^/]+)\/usage$/.exec(url.pathname))) {
      const items = usagePlans.usage(
        decodeURIComponent(match[1]!),
        url.searchParams.get('keyId') ?? undefined,
      );
      if (!items) return notFound('usage plan');
      return reply(200, {
        usagePlanId: decodeURIComponent(match[1]!),
        startDate: url.searchParams.get('startDate'),
        endDate: url.searchParams.get('endDate'),
        // The wire name of the SDK's `items` (as `item` is for lists).
        values: items,
      });
    }
    if (req.method === 'POST' && (match = /^\/usageplans\/([^/]+)\/keys$/.exec(url.pathname))) {
      const keyId = String(body['keyId'] ?? '');
      if (!usagePlans.attach(decodeURIComponent(match[1]!), keyId)) return notFound('usage plan or API key');
      const key = usagePlans.keys.get(keyId)!;
      return reply(201, { id: key.id, type: 'API_KEY', name: key.name, value: key.value });
    }
    reply(404, { message: `${req.method} ${url.pathname} is not emulated` }, 'NotFoundException');
  }, options.log);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}
