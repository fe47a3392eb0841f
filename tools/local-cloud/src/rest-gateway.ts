import type { SiteDocument } from './static-sites';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { safeServer } from './http-server';
import type { LambdaRuntime } from './lambda-runtime';
import { validateSchema } from './json-schema';
import type { Provisioner } from './provision';
import type { ApiKey, UsagePlans } from './usage-plans';
import { renderMappingTemplate } from './vtl';
import { formatTraceHeader, newSegmentId, newTraceId, parseTraceHeader, type SegmentDocument } from './xray';
import type { WebAcls } from './waf';

export interface Route {
  apiId: string;
  stage: string;
  method: string;
  /** Resource path as declared, e.g. `/orders/{id}`. */
  resourcePath: string;
  pattern: RegExp;
  paramNames: string[];
  functionName?: string;
  authorization: 'NONE' | 'COGNITO_USER_POOLS' | string;
  /** For Cognito: the user pool ids accepted. */
  userPoolIds: string[];
  apiKeyRequired: boolean;
  /** JSON Schema of the body when the method's validator checks it. */
  bodySchema?: Record<string, unknown>;
  /** A MOCK integration (CORS preflight): its status, static headers, and the origins its template echoes. */
  mock?: { statusCode: string; headers: Record<string, string>; echoOrigins: string[] };
  /** The stage records X-Ray traces (`TracingEnabled`). */
  tracing: boolean;
  /** The API's name (its X-Ray segment is `<name>/<stage>`). */
  apiName: string;
  /** AWS service integration (SQS SendMessage), when the method has one. */
  awsIntegration?: {
    uri: string;
    requestTemplate?: string;
    responses: { statusCode: string; selectionPattern?: string; template?: string }[];
  };
}

type Verifier = { verify(token: string): Promise<Record<string, unknown>>; cacheJwks(jwks: unknown): void };

/** API Gateway's REST payload limit (10 MB) and Lambda's for a synchronous invocation (6 MB, 6,291,456 bytes). */
const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;
const LAMBDA_MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
/** A method's integration as the templates declare it. */
interface Integration {
  Type?: string;
  Uri?: string;
  RequestTemplates?: Record<string, string>;
  IntegrationResponses?: {
    StatusCode: string;
    SelectionPattern?: string;
    ResponseTemplates?: Record<string, string>;
    ResponseParameters?: Record<string, string>;
  }[];
}

/** The regular expression of a resource path (`/orders/{id}`, greedy `{proxy+}`) and its parameters' names. */
export function routePattern(resourcePath: string): { pattern: RegExp; paramNames: string[] } {
  const paramNames: string[] = [];
  const pattern = new RegExp(
    `^${resourcePath.replace(/\{([^}+]+)(\+?)\}/g, (_, name: string, greedy: string) => {
      paramNames.push(name);
      return greedy ? '(.+)' : '([^/]+)';
    })}/?$`,
  );
  return { pattern, paramNames };
}

/** An AWS service integration (SQS): its URI, JSON request template and integration responses. */
function awsIntegrationOf(integration: Integration): NonNullable<Route['awsIntegration']> {
  return {
    uri: integration.Uri!,
    requestTemplate: integration.RequestTemplates?.['application/json'],
    responses: (integration.IntegrationResponses ?? []).map((r) => ({
      statusCode: r.StatusCode,
      selectionPattern: r.SelectionPattern,
      template: r.ResponseTemplates?.['application/json'],
    })),
  };
}

/** Reads the routes of every REST API in the provisioned templates (Lambda proxy integrations). */
export function restRoutes(p: Provisioner): Route[] {
  const resources = new Map(p.byType('AWS::ApiGateway::Resource').map((r) => [r.ref, r]));
  const pathOf = (resourceId: string): string => {
    const r = resources.get(resourceId);
    if (!r) return '';
    return `${pathOf(r.properties['ParentId'] as string)}/${r.properties['PathPart'] as string}`;
  };
  const stages = new Map(
    p
      .byType('AWS::ApiGateway::Stage')
      .map((s) => [s.properties['RestApiId'] as string, s.properties['StageName'] as string]),
  );
  const tracedApis = new Set(
    p
      .byType('AWS::ApiGateway::Stage')
      .filter((s) => s.properties['TracingEnabled'] === true)
      .map((s) => s.properties['RestApiId'] as string),
  );
  const apiNames = new Map(
    p.byType('AWS::ApiGateway::RestApi').map((a) => [a.ref, String(a.properties['Name'] ?? a.logicalId)]),
  );
  const authorizers = new Map(p.byType('AWS::ApiGateway::Authorizer').map((a) => [a.ref, a]));
  const functionsByArn = new Map(p.byType('AWS::Lambda::Function').map((f) => [f.attrs['Arn'], f.ref]));
  const models = new Map(
    p.byType('AWS::ApiGateway::Model').map((m) => [m.ref, m.properties['Schema'] as Record<string, unknown>]),
  );
  const validators = new Map(p.byType('AWS::ApiGateway::RequestValidator').map((v) => [v.ref, v.properties]));
  const routes: Route[] = [];
  for (const m of p.byType('AWS::ApiGateway::Method')) {
    const props = m.properties;
    const resourcePath = pathOf(props['ResourceId'] as string) || '/';
    const integration = props['Integration'] as Integration | undefined;
    const validator = validators.get(props['RequestValidatorId'] as string);
    const modelRef = (props['RequestModels'] as Record<string, string> | undefined)?.['application/json'];
    const bodySchema = validator?.['ValidateRequestBody'] && modelRef ? models.get(modelRef) : undefined;
    let functionName: string | undefined;
    if (integration?.Type === 'AWS_PROXY' && integration.Uri) {
      const arn = /functions\/(.+)\/invocations/.exec(integration.Uri)?.[1];
      functionName = arn ? functionsByArn.get(arn) : undefined;
    }
    const authorizer = authorizers.get(props['AuthorizerId'] as string);
    const { pattern, paramNames } = routePattern(resourcePath);
    routes.push({
      apiId: props['RestApiId'] as string,
      stage: stages.get(props['RestApiId'] as string) ?? 'api',
      tracing: tracedApis.has(props['RestApiId'] as string),
      apiName: apiNames.get(props['RestApiId'] as string) ?? 'api',
      method: props['HttpMethod'] as string,
      resourcePath,
      pattern,
      paramNames,
      functionName,
      authorization: (props['AuthorizationType'] as string) ?? 'NONE',
      userPoolIds: ((authorizer?.properties['ProviderARNs'] as string[]) ?? []).map((arn) =>
        arn.split('/').pop()!,
      ),
      apiKeyRequired: props['ApiKeyRequired'] === true,
      bodySchema,
      mock: integration?.Type === 'MOCK' ? mockOf(integration.IntegrationResponses?.[0]) : undefined,
      awsIntegration:
        integration?.Type === 'AWS' && integration.Uri ? awsIntegrationOf(integration) : undefined,
    });
  }
  // Literal segments win over parameters, as in API Gateway.
  return routes.sort(
    (a, b) =>
      b.resourcePath.replace(/\{[^}]+\}/g, '').length - a.resourcePath.replace(/\{[^}]+\}/g, '').length,
  );
}

// No CORS headers of its own: only what the template's OPTIONS methods and the functions send, as in AWS.
function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/**
 * API Gateway REST at one local origin: matches the method and path against every API's routes, runs the
 * Cognito user pool authorizer (token verified against the local pool's JWKS; claims passed on in
 * `requestContext.authorizer.claims`), builds the v1 proxy event, and maps the function's answer.
 */
export function startRestGateway(options: {
  port: number;
  routes: Route[];
  runtime: LambdaRuntime;
  cognitoEndpoint: string;
  accountId: string;
  log: (line: string) => void;
  usagePlans?: UsagePlans;
  /** The web ACLs associated with the APIs' stages (rate limits), checked before anything else as in AWS. */
  webAcls?: WebAcls;
  /** Sends a message to a queue by name, for the SQS service integration; returns its message id. */
  sendToQueue?: (queueName: string, body: string, attributes: Record<string, string>) => Promise<string>;
  /** The local X-Ray, where traced stages record their segment. */
  xray?: { put(doc: SegmentDocument): void };
  /**
   * The API's published documents (`/openapi.json`, the reference page under `/docs/`), served on this
   * origin where no route of an API takes the path; undefined for a path that is not one.
   */
  documents?: (path: string) => Promise<SiteDocument | undefined>;
}): Promise<{ server: http.Server; url: string }> {
  const verifiers = new Map<string, Promise<Verifier>>();
  // aws-jwt-verify fetches JWKS over HTTPS only; the local pool serves it over HTTP, so it is loaded here
  // once per pool and handed to the verifier, which then checks signature, issuer, expiry and token use.
  const verifierFor = (poolId: string): Promise<Verifier> => {
    let v = verifiers.get(poolId);
    if (!v) {
      v = (async () => {
        const jwksUri = `${options.cognitoEndpoint}/${poolId}/.well-known/jwks.json`;
        const verifier = JwtRsaVerifier.create({
          issuer: `${options.cognitoEndpoint}/${poolId}`,
          jwksUri,
          audience: null,
          customJwtCheck: ({ payload }) => {
            if (payload['token_use'] !== 'id') throw new Error('the Cognito authorizer takes ID tokens');
          },
        }) as unknown as Verifier;
        const res = await fetch(jwksUri);
        if (!res.ok) throw new Error(`JWKS of ${poolId}: HTTP ${res.status}`);
        verifier.cacheJwks(await res.json());
        return verifier;
      })();
      v.catch(() => verifiers.delete(poolId));
      verifiers.set(poolId, v);
    }
    return v;
  };

  /**
   * The Cognito user pool authorizer: the ID token verified against one of the route's pools; its claims as
   * API Gateway hands them over (strings; groups become "[a b]"), or undefined (401).
   */
  const cognitoClaims = async (
    route: Route,
    authorization: string | undefined,
  ): Promise<Record<string, string> | undefined> => {
    const token = (authorization ?? '').replace(/^Bearer\s+/i, '');
    if (!token) return undefined;
    for (const poolId of route.userPoolIds) {
      try {
        const payload = await (await verifierFor(poolId)).verify(token);
        return Object.fromEntries(
          Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]),
        );
      } catch (error) {
        options.log(`token refused by pool ${poolId}: ${(error as Error).message}`);
      }
    }
    return undefined;
  };

  const server = safeServer(async (req, res) => {
    const started = Date.now();
    const url = new URL(`http://local${req.url ?? '/'}`);
    const chunks: Buffer[] = [];
    let received = 0;
    for await (const c of req) {
      received += (c as Buffer).length;
      // Past API Gateway's 10 MB the body is not kept, only read to its end.
      if (received <= API_GATEWAY_MAX_BODY) chunks.push(c as Buffer);
    }
    if (received > API_GATEWAY_MAX_BODY) return send(res, 413, { message: 'Request Too Large' });
    const body = Buffer.concat(chunks);
    const method = req.method ?? 'GET';
    try {
      const candidates = options.routes.filter((r) => r.pattern.test(url.pathname));
      if (!candidates.length && (method === 'GET' || method === 'HEAD') && options.documents) {
        if (url.pathname === '/docs') return send(res, 301, '', { Location: '/docs/' });
        const doc = await options.documents(url.pathname);
        if (doc) {
          res.writeHead(200, {
            'Content-Type': doc.contentType,
            'Content-Length': doc.body.length,
            'Cache-Control': 'no-store',
            'X-Content-Type-Options': 'nosniff',
          });
          return res.end(method === 'HEAD' ? undefined : doc.body);
        }
      }
      const route = candidates.find((r) => r.method === method || r.method === 'ANY');
      const apiId = (route ?? candidates[0])?.apiId;
      const blocked = apiId
        ? options.webAcls?.check(apiId, { headers: req.headers, address: req.socket.remoteAddress ?? '' })
        : undefined;
      if (blocked) {
        options.log(`${method} ${url.pathname} → ${blocked.status} (WAF rate limit)`);
        return send(res, blocked.status, blocked.body, blocked.headers);
      }
      if (route?.mock)
        return send(res, Number(route.mock.statusCode), '', mockHeaders(route.mock, req.headers.origin));
      if (!route) {
        // API Gateway answers a method a resource does not have (a preflight on an API without CORS) so.
        if (method === 'OPTIONS') return send(res, 403, { message: 'Missing Authentication Token' });
        return candidates.length
          ? send(res, 405, { message: `Method ${method} not allowed on ${url.pathname}` })
          : send(res, 404, { message: `No route for ${method} ${url.pathname}` });
      }
      let apiKey: ApiKey | undefined;
      if (route.apiKeyRequired) {
        const header = req.headers['x-api-key'];
        const decision = options.usagePlans?.check(route.apiId, Array.isArray(header) ? header[0] : header);
        if (!decision?.ok) {
          const status = decision?.status ?? 403;
          return send(res, status, { message: decision?.message ?? 'Forbidden' });
        }
        apiKey = decision.key;
      }
      const invalid = route.bodySchema ? bodyErrors(route.bodySchema, body) : [];
      if (invalid.length) return send(res, 400, { message: 'Invalid request body', errors: invalid });
      let claims: Record<string, string> | undefined;
      if (route.authorization === 'COGNITO_USER_POOLS') {
        claims = await cognitoClaims(route, req.headers['authorization']);
        if (!claims) return send(res, 401, { message: 'Unauthorized' });
      }
      if (route.awsIntegration) {
        return await serviceIntegration(
          options,
          route,
          body.toString('utf8'),
          apiKey,
          res,
          started,
          url.pathname,
        );
      }
      if (!route.functionName) return send(res, 500, { message: 'Integration not emulated for this route' });
      const requestId = randomUUID();
      // A traced stage records its own segment and hands the function a header naming it as the parent.
      const upstream = parseTraceHeader(req.headers['x-amzn-trace-id'] as string | undefined);
      const segment =
        route.tracing && options.xray && upstream?.sampled !== false
          ? {
              name: `${route.apiName}/${route.stage}`,
              id: newSegmentId(),
              trace_id: upstream?.root ?? newTraceId(),
              ...(upstream?.parent ? { parent_id: upstream.parent } : {}),
              start_time: started / 1000,
              origin: 'AWS::ApiGateway::Stage',
              http: {
                request: {
                  method,
                  url: `http://${req.headers.host ?? '127.0.0.1'}${url.pathname}`,
                  user_agent: req.headers['user-agent'],
                  client_ip: req.socket.remoteAddress,
                },
              },
              annotations: { request_id: requestId },
            }
          : undefined;
      const traceHeader = segment
        ? formatTraceHeader({ root: segment.trace_id, parent: segment.id, sampled: true })
        : upstream
          ? formatTraceHeader(upstream)
          : undefined;
      const recordSegment = (status: number) => {
        if (!segment) return;
        options.xray!.put({
          ...segment,
          end_time: Date.now() / 1000,
          http: { ...segment.http, response: { status } },
          ...(status >= 500 ? { fault: true } : status >= 400 ? { error: true } : {}),
          ...(status === 429 ? { throttle: true } : {}),
        });
      };
      const event = proxyEvent({
        route,
        url,
        method,
        headers: traceHeader ? { ...req.headers, 'x-amzn-trace-id': traceHeader } : req.headers,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        body,
        accountId: options.accountId,
        requestId,
        started,
        apiKey,
        claims,
      });
      let result: {
        statusCode?: number;
        headers?: Record<string, string>;
        multiValueHeaders?: Record<string, string[]>;
        body?: string;
        isBase64Encoded?: boolean;
      };
      // Lambda takes at most 6 MB of event in a synchronous invocation; API Gateway then answers 413.
      if (Buffer.byteLength(JSON.stringify(event)) > LAMBDA_MAX_SYNC_PAYLOAD) {
        options.log(`${method} ${url.pathname} → 413 (the event exceeds Lambda's 6 MB payload limit)`);
        recordSegment(413);
        return send(res, 413, { message: 'Request Too Large' }, { 'x-amzn-RequestId': requestId });
      }
      try {
        result = ((await options.runtime.invoke(route.functionName, event, { traceHeader })) ??
          {}) as typeof result;
        // A response over Lambda's limit fails the invocation, which API Gateway answers with a 502.
        if (Buffer.byteLength(JSON.stringify(result)) > LAMBDA_MAX_SYNC_PAYLOAD + 100)
          throw new Error('Exceeded maximum allowed payload size (6291556 bytes).');
      } catch (error) {
        options.log(`${method} ${url.pathname} → 502 (${(error as Error).message})`);
        recordSegment(502);
        return send(res, 502, { message: 'Internal server error' }, { 'x-amzn-RequestId': requestId });
      }
      recordSegment(result.statusCode ?? 200);
      const outHeaders: Record<string, string | string[]> = {
        'x-amzn-RequestId': requestId,
        ...result.headers,
      };
      for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) outHeaders[k] = v;
      res.writeHead(result.statusCode ?? 200, outHeaders);
      res.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : undefined);
      options.log(`${method} ${url.pathname} → ${result.statusCode ?? 200} (${Date.now() - started} ms)`);
    } catch (error) {
      options.log(`${method} ${url.pathname} failed: ${(error as Error).message}`);
      if (!res.headersSent) send(res, 500, { message: 'Internal server error' });
    }
  }, options.log);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}` });
    });
  });
}

/** A response mapping template rendered with the backend's answer as `$input`. */
export function renderResponseTemplate(template: string, reply: unknown): string {
  return renderMappingTemplate(template, { body: JSON.stringify(reply) });
}

/**
 * API Gateway's choice of integration response for an AWS integration: the first whose selection pattern
 * matches the backend's whole HTTP status, else the default one (no pattern), else a bare 200.
 */
export function selectIntegrationResponse<
  R extends { statusCode: string; selectionPattern?: string; template?: string },
>(responses: R[], status: number): R | { statusCode: string; template?: undefined } {
  return (
    responses.find(
      (r) => r.selectionPattern && new RegExp(`^(?:${r.selectionPattern})$`).test(String(status)),
    ) ??
    responses.find((r) => !r.selectionPattern) ?? { statusCode: '200' }
  );
}

/**
 * A MOCK integration response as API Gateway renders it: the static `method.response.header.*` values, and
 * the origins its template (the one CDK writes for several CORS origins) puts in place of the first.
 */
function mockOf(
  response:
    | {
        StatusCode: string;
        ResponseParameters?: Record<string, string>;
        ResponseTemplates?: Record<string, string>;
      }
    | undefined,
): Route['mock'] {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response?.ResponseParameters ?? {})) {
    const header = /^method\.response\.header\.(.+)$/.exec(name)?.[1];
    if (header) headers[header] = value.replace(/^'|'$/g, '');
  }
  const template = response?.ResponseTemplates?.['application/json'] ?? '';
  const echoOrigins = [...template.matchAll(/\$origin == "([^"]*)"/g)].map((m) => m[1]!);
  return { statusCode: response?.StatusCode ?? '200', headers, echoOrigins };
}

export function mockHeaders(
  mock: NonNullable<Route['mock']>,
  origin: string | string[] | undefined,
): Record<string, string> {
  const requested = Array.isArray(origin) ? origin[0] : origin;
  return requested && mock.echoOrigins.includes(requested)
    ? { ...mock.headers, 'Access-Control-Allow-Origin': requested }
    : mock.headers;
}

/** The Lambda proxy (v1) event API Gateway sends a function for a request on a route. */
export function proxyEvent(r: {
  route: Route;
  url: URL;
  method: string;
  headers: http.IncomingHttpHeaders;
  sourceIp: string;
  body: Buffer;
  accountId: string;
  requestId: string;
  started: number;
  apiKey?: ApiKey;
  claims?: Record<string, string>;
}): Record<string, unknown> {
  const { route, url, method, body, apiKey, claims, requestId, started } = r;
  const match = route.pattern.exec(url.pathname)!;
  const pathParameters = route.paramNames.length
    ? Object.fromEntries(route.paramNames.map((n, i) => [n, decodeURIComponent(match[i + 1]!)]))
    : null;
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(r.headers)) {
    if (v === undefined) continue;
    const values = Array.isArray(v) ? v : [v];
    headers[k] = values.join(',');
    multiValueHeaders[k] = values;
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const isText = /json|text|xml|urlencoded/.test(String(r.headers['content-type'] ?? 'application/json'));
  return {
    resource: route.resourcePath,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: url.searchParams.size ? query : null,
    multiValueQueryStringParameters: url.searchParams.size ? multiQuery : null,
    pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: r.accountId,
      apiId: route.apiId,
      resourcePath: route.resourcePath,
      httpMethod: method,
      path: `/${route.stage}${url.pathname}`,
      stage: route.stage,
      requestId,
      requestTimeEpoch: started,
      protocol: 'HTTP/1.1',
      identity: {
        sourceIp: r.sourceIp,
        userAgent: r.headers['user-agent'] ?? '',
        ...(apiKey ? { apiKey: apiKey.value, apiKeyId: apiKey.id } : {}),
      },
      ...(claims ? { authorizer: { claims } } : {}),
    },
    body: body.length ? (isText ? body.toString('utf8') : body.toString('base64')) : null,
    isBase64Encoded: body.length > 0 && !isText,
  };
}

/** What is wrong with a request body for the route's model (request validator): nothing when it fits. */
export function bodyErrors(schema: Record<string, unknown>, body: Buffer): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8') || 'null');
  } catch {
    return ['$: not JSON'];
  }
  return validateSchema(schema, parsed);
}

/** The SQS SendMessage integration: renders the request template, sends, maps the integration response. */
async function serviceIntegration(
  options: {
    log: (line: string) => void;
    sendToQueue?: (queueName: string, body: string, attributes: Record<string, string>) => Promise<string>;
  },
  route: Route,
  body: string,
  apiKey: ApiKey | undefined,
  res: http.ServerResponse,
  started: number,
  path: string,
): Promise<void> {
  const integration = route.awsIntegration!;
  const target = /:sqs:path\/[^/]+\/([^/]+)$/.exec(integration.uri);
  if (!target || !options.sendToQueue)
    return send(res, 500, { message: `Integration ${integration.uri} not emulated` });
  const requestId = randomUUID();
  const rendered = renderMappingTemplate(
    integration.requestTemplate ?? 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)',
    { body, requestId, ...(apiKey ? { apiKey: { id: apiKey.id, value: apiKey.value } } : {}) },
  );
  const form = new URLSearchParams(rendered);
  const attributes: Record<string, string> = {};
  for (let i = 1; form.has(`MessageAttribute.${i}.Name`); i++) {
    attributes[form.get(`MessageAttribute.${i}.Name`)!] =
      form.get(`MessageAttribute.${i}.Value.StringValue`) ?? '';
  }
  // As API Gateway does: the backend's status picks the integration response whose selection pattern
  // matches it, else the default one (so an unmapped SQS error answers the default status, as in AWS).
  let status = 200;
  let reply: Record<string, unknown>;
  try {
    const messageId = await options.sendToQueue(target[1]!, form.get('MessageBody') ?? '', attributes);
    reply = { SendMessageResponse: { SendMessageResult: { MessageId: messageId } } };
  } catch (error) {
    const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    status = e.$metadata?.httpStatusCode ?? 500;
    reply = { Error: { Code: e.name ?? 'InternalError', Message: e.message ?? '' } };
    options.log(`POST ${path}: SQS answered ${status} ${e.name}: ${e.message}`);
  }
  const response = selectIntegrationResponse(integration.responses, status);
  const payload = response.template
    ? renderResponseTemplate(response.template, reply)
    : JSON.stringify(reply);
  options.log(`POST ${path} → ${response.statusCode} (SQS ${target[1]}, ${Date.now() - started} ms)`);
  return send(res, Number(response.statusCode), payload, { 'x-amzn-RequestId': requestId });
}
