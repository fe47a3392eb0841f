import * as z from '@order-platform/contracts/zod';

export interface FieldError {
  field: string;
  message: string;
}

/** An error that maps to an HTTP status and an `application/problem+json` body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string, errors: FieldError[] = []) {
    super(400, 'Bad Request', message, errors);
    this.name = 'BadRequestError';
  }
}
/**
 * A `nextToken` that is not one this API issued (or not for this listing): the caller's error, a 400 naming
 * `query.nextToken`. Thrown by the adapters that decode page tokens, so no handler has to translate it.
 */
export class InvalidPageTokenError extends BadRequestError {
  constructor() {
    super('nextToken is not a token this API issued', [
      { field: 'query.nextToken', message: 'not a token this API issued' },
    ]);
    this.name = 'InvalidPageTokenError';
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'Authentication required') {
    super(401, 'Unauthorized', message);
    this.name = 'UnauthorizedError';
  }
}
export class ForbiddenError extends HttpError {
  constructor(message = 'Not allowed') {
    super(403, 'Forbidden', message);
    this.name = 'ForbiddenError';
  }
}
export class NotFoundError extends HttpError {
  constructor(message = 'Not found') {
    super(404, 'Not Found', message);
    this.name = 'NotFoundError';
  }
}
export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, 'Conflict', message);
    this.name = 'ConflictError';
  }
}
export class UnprocessableError extends HttpError {
  constructor(message: string, errors: FieldError[] = []) {
    super(422, 'Unprocessable Content', message, errors);
    this.name = 'UnprocessableError';
  }
}
export class TooManyRequestsError extends HttpError {
  constructor(message = 'Too many requests', retryAfterSeconds = 1) {
    super(429, 'Too Many Requests', message, [], { 'Retry-After': String(retryAfterSeconds) });
    this.name = 'TooManyRequestsError';
  }
}

type Bound = { code: 'too_big'; maximum: number | bigint } | { code: 'too_small'; minimum: number | bigint };

/**
 * Whether another issue of the same field says the same thing with a stricter bound: `?limit=1e21` broke
 * both an integer's safe range and the schema's own `<= 100`, and only the second tells the caller anything.
 */
function looserBound(issue: z.core.$ZodIssue, all: z.core.$ZodIssue[]): boolean {
  if (issue.code !== 'too_big' && issue.code !== 'too_small') return false;
  const key = issue.path.map(String).join('.');
  const own = issue as Bound;
  return all.some((other) => {
    if (other === issue || other.code !== issue.code || other.path.map(String).join('.') !== key)
      return false;
    const o = other as Bound;
    return own.code === 'too_big' && o.code === 'too_big'
      ? o.maximum < own.maximum
      : own.code === 'too_small' && o.code === 'too_small' && o.minimum > own.minimum;
  });
}

/**
 * Field errors of a zod failure, with dotted paths prefixed by where the input came from; of two bounds a
 * field broke the same way, only the stricter is named.
 */
export function fieldErrors(error: z.core.$ZodError, prefix?: string): FieldError[] {
  const name = (path: PropertyKey[]) =>
    [prefix, ...path.map(String)].filter(Boolean).join('.') || (prefix ?? '(root)');
  const issues = error.issues.filter((issue) => !looserBound(issue, error.issues));
  return issues.flatMap((issue) =>
    // A field the request may not carry is named itself, so the caller sees what was refused.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          field: name([...issue.path, key]),
          message: 'not a field of this request',
        }))
      : [{ field: name(issue.path), message: issue.message }],
  );
}

export interface ProblemResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Renders any error as RFC 9457 problem details; an unknown error is a 500 that tells nothing inside. */
export function toProblem(error: unknown, instance?: string): ProblemResponse {
  const http =
    error instanceof HttpError ? error : new HttpError(500, 'Internal Server Error', 'Unexpected error');
  const body: Record<string, unknown> = {
    type: 'about:blank',
    title: http.title,
    status: http.status,
    detail: http.message,
  };
  if (instance) body['instance'] = instance;
  if (http.errors.length) body['errors'] = http.errors;
  return {
    statusCode: http.status,
    headers: { 'Content-Type': 'application/problem+json', ...http.headers },
    body: JSON.stringify(body),
  };
}
