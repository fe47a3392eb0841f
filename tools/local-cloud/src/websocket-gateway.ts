import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { safeServer } from './http-server';
import type { LocalIam } from './iam';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LambdaRuntime } from './lambda-runtime';
import type { Provisioner } from './provision';

/** The largest message a WebSocket API takes (API Gateway's quota: 128 KB). */
export const MAX_MESSAGE_BYTES = 128 * 1024;

export interface WebSocketRoute {
  functionName?: string;
  /** A route with a route response sends the function's `body` back to the caller. */
  twoWay: boolean;
  authorizer?: { functionName?: string; identitySource: string[] };
}

export interface WebSocketApiSpec {
  apiId: string;
  name: string;
  stage: string;
  /** e.g. `$request.body.action`. */
  routeSelectionExpression: string;
  routes: Map<string, WebSocketRoute>;
}

const functionOf = (uri: unknown, functionsByArn: Map<string, string>): string | undefined => {
  const arn = /functions\/(.+)\/invocations/.exec(String(uri ?? ''))?.[1];
  return arn ? functionsByArn.get(arn) : undefined;
};

/** Reads every WebSocket API of the provisioned templates: its stage, routes, integrations and authorizers. */
export function webSocketApis(p: Provisioner): WebSocketApiSpec[] {
  const functionsByArn = new Map(p.byType('AWS::Lambda::Function').map((f) => [f.attrs['Arn']!, f.ref]));
  const integrations = new Map(
    p
      .byType('AWS::ApiGatewayV2::Integration')
      .map((i) => [i.ref, functionOf(i.properties['IntegrationUri'], functionsByArn)]),
  );
  const authorizers = new Map(
    p.byType('AWS::ApiGatewayV2::Authorizer').map((a) => [
      a.ref,
      {
        functionName: functionOf(a.properties['AuthorizerUri'], functionsByArn),
        identitySource: (a.properties['IdentitySource'] as string[] | undefined) ?? [],
      },
    ]),
  );
  return p
    .byType('AWS::ApiGatewayV2::Api')
    .filter((api) => api.properties['ProtocolType'] === 'WEBSOCKET')
    .map((api) => {
      const routes = new Map<string, WebSocketRoute>();
      for (const r of p.byType('AWS::ApiGatewayV2::Route').filter((r) => r.properties['ApiId'] === api.ref)) {
        const target = String(r.properties['Target'] ?? '').replace(/^integrations\//, '');
        routes.set(String(r.properties['RouteKey']), {
          functionName: integrations.get(target),
          twoWay: r.properties['RouteResponseSelectionExpression'] !== undefined,
          authorizer:
            r.properties['AuthorizationType'] === 'CUSTOM'
              ? authorizers.get(String(r.properties['AuthorizerId']))
              : undefined,
        });
      }
      const stage = p.byType('AWS::ApiGatewayV2::Stage').find((s) => s.properties['ApiId'] === api.ref);
      return {
        apiId: api.ref,
        name: String(api.properties['Name'] ?? api.logicalId),
        stage: String(stage?.properties['StageName'] ?? '$default'),
        routeSelectionExpression: String(
          api.properties['RouteSelectionExpression'] ?? '$request.body.action',
        ),
        routes,
      };
    });
}

interface Connection {
  ws: WebSocket;
  connectedAt: number;
  lastActiveAt: number;
  identity: { sourceIp: string; userAgent: string };
  authorizer?: Record<string, unknown>;
}

type Policy = {
  policyDocument?: { Statement?: { Effect?: string }[] };
  principalId?: string;
  context?: object;
};

function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** `$request.body.action` → the value at `action` of the JSON body, if any. */
function selectRoute(expression: string, body: string): string | undefined {
  const path = /^\$request\.body\.(.+)$/.exec(expression)?.[1];
  if (!path) return undefined;
  try {
    let value: unknown = JSON.parse(body);
    for (const key of path.split('.')) value = (value as Record<string, unknown> | null)?.[key];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * API Gateway WebSocket for one API: `$connect` with its Lambda REQUEST authorizer (identity sources
 * checked first: a missing one is 401 before any function runs; a Deny policy is 403), `$disconnect`,
 * custom routes by route selection expression with `$default` as fallback, two-way route responses, and
 * the `@connections` management API (POST, GET, DELETE; 410 GoneException for a closed connection) on
 * the same origin, under the stage path, as `@aws-sdk/client-apigatewaymanagementapi` calls it.
 */
export function startWebSocketGateway(options: {
  port: number;
  api: WebSocketApiSpec;
  runtime: LambdaRuntime;
  accountId: string;
  region: string;
  log: (line: string) => void;
  /** Checks the functions' `@connections` calls against their roles (`execute-api:ManageConnections`). */
  iam?: LocalIam;
}): Promise<{
  server: http.Server;
  url: string;
  managementUrl: string;
  connections: Map<string, Connection>;
}> {
  const { api, runtime, log } = options;
  const connections = new Map<string, Connection>();
  // API Gateway takes messages of up to 128 KB and closes the connection on a larger one (1009, "message
  // too big"), as `ws` does past its maxPayload.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let domainName = '127.0.0.1';

  const context = (routeKey: string, eventType: string, connectionId: string, c?: Partial<Connection>) => {
    const now = Date.now();
    return {
      routeKey,
      eventType,
      extendedRequestId: randomUUID(),
      requestTime: new Date(now).toUTCString(),
      messageDirection: 'IN',
      stage: api.stage,
      connectedAt: c?.connectedAt ?? now,
      requestTimeEpoch: now,
      identity: c?.identity ?? { sourceIp: '127.0.0.1', userAgent: '' },
      requestId: randomUUID(),
      domainName,
      connectionId,
      apiId: api.apiId,
      ...(c?.authorizer ? { authorizer: c.authorizer } : {}),
    };
  };

  const invokeRoute = async (routeKey: string, event: Record<string, unknown>) => {
    const route = api.routes.get(routeKey);
    if (!route?.functionName) return undefined;
    return (await runtime.invoke(route.functionName, event)) as { statusCode?: number; body?: string } | null;
  };

  const handleMessage = async (connectionId: string, data: string) => {
    const c = connections.get(connectionId);
    if (!c) return;
    c.lastActiveAt = Date.now();
    const selected = selectRoute(api.routeSelectionExpression, data);
    const routeKey = selected && api.routes.has(selected) ? selected : '$default';
    const route = api.routes.get(routeKey);
    const requestContext = { ...context(routeKey, 'MESSAGE', connectionId, c), messageId: randomUUID() };
    if (!route?.functionName) {
      c.ws.send(JSON.stringify({ message: 'Forbidden', connectionId, requestId: requestContext.requestId }));
      return;
    }
    try {
      const result = await invokeRoute(routeKey, { requestContext, body: data, isBase64Encoded: false });
      if (route.twoWay && result?.body !== undefined) c.ws.send(result.body);
      log(`${routeKey} ${connectionId} → ${result?.statusCode ?? 200}`);
    } catch (error) {
      log(`${routeKey} ${connectionId} failed: ${(error as Error).message}`);
      c.ws.send(
        JSON.stringify({
          message: 'Internal server error',
          connectionId,
          requestId: requestContext.requestId,
        }),
      );
    }
  };

  const upgrade = async (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(`http://local${req.url ?? '/'}`);
    if (!['/', `/${api.stage}`, `/${api.stage}/`].includes(url.pathname))
      return refuse(socket, 404, 'Not Found');
    const connectionId = randomBytes(12).toString('base64');
    const identity = {
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      userAgent: String(req.headers['user-agent'] ?? ''),
    };
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]),
    );
    const query = Object.fromEntries(url.searchParams);
    const connect = api.routes.get('$connect');
    let authorizer: Record<string, unknown> | undefined;
    if (connect?.authorizer?.functionName) {
      const decision = await authorizeConnect({
        authorizer: connect.authorizer as { functionName: string; identitySource: string[] },
        runtime,
        req,
        url,
        headers,
        requestContext: context('$connect', 'CONNECT', connectionId, { identity }),
        methodArn: `arn:aws:execute-api:${options.region}:${options.accountId}:${api.apiId}/${api.stage}/$connect`,
      });
      if ('refused' in decision) {
        log(`$connect refused: ${decision.refused} (${decision.why})`);
        return refuse(socket, decision.refused, decision.message);
      }
      authorizer = decision.authorizer;
    }
    const connectedAt = Date.now();
    if (connect?.functionName) {
      try {
        const result = await invokeRoute('$connect', {
          requestContext: context('$connect', 'CONNECT', connectionId, { identity, authorizer, connectedAt }),
          headers,
          multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
          queryStringParameters: Object.keys(query).length ? query : undefined,
          isBase64Encoded: false,
        });
        const status = result?.statusCode ?? 200;
        if (status >= 300) {
          log(`$connect refused by its function: ${status}`);
          return refuse(socket, status, 'Forbidden');
        }
      } catch (error) {
        log(`$connect failed: ${(error as Error).message}`);
        return refuse(socket, 502, 'Internal server error');
      }
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      connections.set(connectionId, { ws, connectedAt, lastActiveAt: connectedAt, identity, authorizer });
      log(`$connect ${connectionId} (${connections.size} open)`);
      ws.on('message', (data) => void handleMessage(connectionId, data.toString('utf8')));
      // A frame the gateway refuses (past 128 KB, malformed) closes the connection with its code; logged.
      ws.on('error', (error) => log(`${connectionId}: ${error.message}`));
      ws.on('close', (code, reason) => {
        const c = connections.get(connectionId);
        connections.delete(connectionId);
        void invokeRoute('$disconnect', {
          requestContext: {
            ...context('$disconnect', 'DISCONNECT', connectionId, c),
            disconnectStatusCode: code,
            disconnectReason: reason.toString('utf8'),
          },
          isBase64Encoded: false,
        }).then(
          () => log(`$disconnect ${connectionId} (${connections.size} open)`),
          (error: Error) => log(`$disconnect ${connectionId} failed: ${error.message}`),
        );
      });
    });
  };

  const server = safeServer(async (req, res) => {
    const connectionId = /\/@connections\/([^/?]+)/.exec(req.url ?? '')?.[1];
    const denial = options.iam?.authorize(req, [
      {
        action: 'execute-api:ManageConnections',
        resources: [
          `arn:aws:execute-api:${options.region}:${options.accountId}:${api.apiId}/${api.stage}/${req.method}/@connections/${connectionId ?? ''}`,
        ],
        context: {},
      },
    ]);
    if (denial && options.iam?.refuses) {
      req.resume();
      res.writeHead(403, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'ForbiddenException' });
      return void res.end(JSON.stringify({ Message: options.iam.deniedMessage(req, denial) }));
    }
    return connectionsApi(connections, req, res);
  }, log);
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    upgrade(req, socket, head).catch((error: Error) => {
      log(`$connect failed: ${error.message}`);
      refuse(socket, 500, 'Internal server error');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      domainName = `127.0.0.1:${port}`;
      resolve({
        server,
        url: `ws://127.0.0.1:${port}/${api.stage}`,
        managementUrl: `http://127.0.0.1:${port}/${api.stage}`,
        connections,
      });
    });
  });
}

/** Closes every connection and the server. */
export async function stopWebSocketGateway(gateway: {
  server: http.Server;
  connections: Map<string, Connection>;
}): Promise<void> {
  for (const c of gateway.connections.values()) c.ws.terminate();
  gateway.server.closeAllConnections();
  await new Promise<void>((r) => gateway.server.close(() => r()));
}

/** The `@connections` management API of a WebSocket stage: post to, read, or close a connection. */
async function connectionsApi(
  connections: Map<string, Connection>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<unknown> {
  const match = /\/@connections\/([^/?]+)/.exec(req.url ?? '');
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (!match) {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ message: 'Not Found' }));
  }
  const connectionId = decodeURIComponent(match[1]!);
  const c = connections.get(connectionId);
  if (!c) {
    res.writeHead(410, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'GoneException' });
    return res.end(JSON.stringify({ message: null }));
  }
  if (req.method === 'POST') {
    c.ws.send(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end();
  }
  if (req.method === 'GET') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(
      JSON.stringify({
        connectedAt: new Date(c.connectedAt).toISOString(),
        identity: { sourceIp: c.identity.sourceIp, userAgent: c.identity.userAgent },
        lastActiveAt: new Date(c.lastActiveAt).toISOString(),
      }),
    );
  }
  if (req.method === 'DELETE') {
    c.ws.close(1000, 'deleted through @connections');
    res.writeHead(204);
    return res.end();
  }
  res.writeHead(405, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ message: 'Method not allowed' }));
}

/**
 * The `$connect` REQUEST authorizer, as API Gateway runs it: 401 when an identity source is missing or the
 * authorizer throws `Unauthorized`, 403 unless its policy allows, 500 when it fails otherwise; else the
 * context it returned (with `principalId`), handed to every later route.
 */
async function authorizeConnect(o: {
  authorizer: { functionName: string; identitySource: string[] };
  runtime: LambdaRuntime;
  req: http.IncomingMessage;
  url: URL;
  headers: Record<string, string>;
  requestContext: Record<string, unknown>;
  methodArn: string;
}): Promise<{ authorizer: Record<string, unknown> } | { refused: number; message: string; why: string }> {
  const missing = o.authorizer.identitySource.some((source) => {
    const [, where, name] = /^route\.request\.(querystring|header)\.(.+)$/.exec(source) ?? [];
    if (where === 'querystring') return !o.url.searchParams.get(name!);
    if (where === 'header') return !o.req.headers[name!.toLowerCase()];
    return false;
  });
  if (missing) return { refused: 401, message: 'Unauthorized', why: 'identity source missing' };
  let policy: Policy;
  try {
    policy = (await o.runtime.invoke(o.authorizer.functionName, {
      type: 'REQUEST',
      methodArn: o.methodArn,
      headers: o.headers,
      multiValueHeaders: Object.fromEntries(Object.entries(o.headers).map(([k, v]) => [k, [v]])),
      queryStringParameters: Object.fromEntries(o.url.searchParams),
      multiValueQueryStringParameters: Object.fromEntries(
        [...o.url.searchParams.keys()].map((k) => [k, o.url.searchParams.getAll(k)]),
      ),
      stageVariables: {},
      requestContext: o.requestContext,
    })) as Policy;
  } catch (error) {
    const why = (error as Error).message;
    return /^Unauthorized/.test(why.split(': ').pop() ?? '')
      ? { refused: 401, message: 'Unauthorized', why }
      : { refused: 500, message: 'Internal server error', why };
  }
  const statements = policy?.policyDocument?.Statement ?? [];
  if (!statements.length || statements.some((st) => st.Effect !== 'Allow'))
    return { refused: 403, message: 'Forbidden', why: 'policy denies' };
  return { authorizer: { ...(policy.context ?? {}), principalId: policy.principalId } };
}
