import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import * as z from '@order-platform/contracts/zod';
import { BadRequestError, fieldErrors, toProblem, UnauthorizedError, HttpError } from './errors';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { instrumented, logger, metrics, withCorrelation } from './powertools';

/** Who called, from the Cognito authorizer's claims. */
export interface Principal {
  sub: string;
  /** The caller's e-mail, only when Cognito says it is verified (`email_verified`). */
  email?: string;
  groups: string[];
}

export interface HttpRequest<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  headers: Record<string, string>;
  principal?: Principal;
  /** The id of the API key API Gateway checked (routes that require one). */
  apiKeyId?: string;
  correlationId: string;
  path: string;
}

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HttpSpec<B extends z.ZodMiniType, Q extends z.ZodMiniType, P extends z.ZodMiniType> {
  body?: B;
  query?: Q;
  params?: P;
  /** Require a signed-in caller (401 otherwise); a list of groups further requires one of them (403). */
  auth?: 'any' | string[];
}

type Out<S> = S extends z.ZodMiniType ? z.infer<S> : undefined;

/** Reads the Cognito groups claim, which API Gateway passes as a string ("a,b" or "[a b]") or an array. */
export function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.map(String);
  if (typeof claim !== 'string' || !claim) return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

function principalOf(event: APIGatewayProxyEvent): Principal | undefined {
  const claims = event.requestContext?.authorizer?.['claims'] as Record<string, unknown> | undefined;
  if (!claims || typeof claims['sub'] !== 'string') return undefined;
  // Only a verified address is the caller's: mail never goes to an address nobody proved they own.
  const verified = claims['email_verified'] === true || claims['email_verified'] === 'true';
  return {
    sub: claims['sub'],
    email: verified && typeof claims['email'] === 'string' ? claims['email'] : undefined,
    groups: groupsOf(claims['cognito:groups']),
  };
}

function parsePart<S extends z.ZodMiniType | undefined>(schema: S, value: unknown, where: string): Out<S> {
  if (!schema) return undefined as Out<S>;
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = fieldErrors(result.error, where);
    throw new BadRequestError(
      `Invalid ${where}: ${[...new Set(errors.map((e) => e.field))].join(', ')}`,
      errors,
    );
  }
  return result.data as Out<S>;
}

/**
 * Wraps an API Gateway (REST, Lambda proxy) handler: validates body, query and path parameters with zod,
 * checks the caller, tags logs with the correlation id, and maps errors to `application/problem+json`.
 */
export function httpHandler<
  B extends z.ZodMiniType | undefined = undefined,
  Q extends z.ZodMiniType | undefined = undefined,
  P extends z.ZodMiniType | undefined = undefined,
>(
  spec: { body?: B; query?: Q; params?: P; auth?: 'any' | string[] },
  fn: (request: HttpRequest<Out<B>, Out<Q>, Out<P>>) => Promise<HttpResult>,
): (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult> {
  return instrumented(async (event: APIGatewayProxyEvent) => {
    const headers = Object.fromEntries(
      Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v ?? '']),
    );
    const correlationId = correlationIdOf(headers['x-correlation-id'], event.requestContext?.requestId);
    withCorrelation(correlationId);
    const base = { 'x-correlation-id': correlationId, ...corsHeaders(headers['origin']) };
    try {
      const principal = principalOf(event);
      if (spec.auth && !principal) throw new UnauthorizedError();
      if (Array.isArray(spec.auth) && !spec.auth.some((g) => principal!.groups.includes(g))) {
        throw new HttpError(403, 'Forbidden', `Requires one of the groups: ${spec.auth.join(', ')}`);
      }
      let rawBody: unknown = undefined;
      if (spec.body) {
        const text = event.isBase64Encoded
          ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
          : event.body;
        try {
          rawBody = text ? JSON.parse(text) : undefined;
        } catch {
          throw new BadRequestError('The body is not valid JSON', [
            { field: 'body', message: 'Invalid JSON' },
          ]);
        }
      }
      const request: HttpRequest<Out<B>, Out<Q>, Out<P>> = {
        body: parsePart(spec.body as B, rawBody, 'body'),
        query: parsePart(spec.query as Q, event.queryStringParameters ?? {}, 'query'),
        params: parsePart(spec.params as P, event.pathParameters ?? {}, 'path'),
        headers,
        principal,
        apiKeyId: event.requestContext?.identity?.apiKeyId ?? undefined,
        correlationId,
        path: event.path,
      };
      const result = await fn(request);
      metrics.addMetric(result.status < 400 ? 'RequestSucceeded' : 'RequestRefused', MetricUnit.Count, 1);
      return {
        statusCode: result.status,
        headers: {
          ...base,
          ...(result.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...result.headers,
        },
        body: result.body !== undefined ? JSON.stringify(result.body) : '',
      };
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500) {
        logger.error('Request failed', { error });
        metrics.addMetric('RequestFailed', MetricUnit.Count, 1);
      } else {
        logger.info('Request refused', { status: error.status, detail: error.message });
        metrics.addMetric('RequestRefused', MetricUnit.Count, 1);
      }
      const problem = toProblem(error, event.path);
      return { ...problem, headers: { ...base, ...problem.headers } };
    }
  });
}

/** The origins the stage lets browsers call from (`CORS_ALLOWED_ORIGINS`, set by the ServiceApi construct). */
const allowedOrigins = new Set(
  (process.env['CORS_ALLOWED_ORIGINS'] ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean),
);

/** CORS headers for a request's origin: only an allowed origin is named, and caches are told it varies. */
export function corsHeaders(
  origin: string | undefined,
  allowed: ReadonlySet<string> = allowedOrigins,
): Record<string, string> {
  if (!allowed.size) return {};
  const ok = origin !== undefined && (allowed.has(origin) || allowed.has('*'));
  return ok ? { 'Access-Control-Allow-Origin': origin!, Vary: 'Origin' } : { Vary: 'Origin' };
}

/**
 * The correlation id of a request: the caller's `x-correlation-id` when it is a short id (a UUID or up to
 * 64 of `A-Z a-z 0-9 . _ -`), so nothing a client types flows unchecked into logs, events and mails;
 * otherwise API Gateway's request id, or a new UUID.
 */
export function correlationIdOf(header: string | undefined, requestId: string | undefined): string {
  if (header && /^[A-Za-z0-9._-]{1,64}$/.test(header)) return header;
  return requestId || randomUUID();
}
