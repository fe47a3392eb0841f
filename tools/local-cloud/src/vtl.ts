import { render } from 'velocityjs';

/** What a mapping template sees of the request (or, for a response template, of the backend's answer). */
export interface MappingInput {
  /** The raw body: the request's, or the integration's answer for a response template. */
  body: string;
  requestId?: string;
  apiKey?: { id: string; value: string };
}

/** The value at a JSONPath of the subset templates use: `$`, `$.a.b`, `$.a[0].b`. */
function jsonPath(root: unknown, path: string): unknown {
  const keys = path
    .replace(/^\$/, '')
    .split(/\.|\[(\d+)\]/)
    .filter((k) => k !== undefined && k !== '');
  return keys.reduce<unknown>(
    (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
    root,
  );
}

/**
 * Renders an API Gateway mapping template (VTL, by velocityjs) with the variables API Gateway gives it:
 * `$input.body`, `$input.json(path)`, `$input.path(path)`, `$util.urlEncode`, `$util.escapeJavaScript`,
 * `$util.base64Encode`, `$util.base64Decode`, `$util.parseJson`, `$context.requestId` and
 * `$context.identity.apiKey` / `apiKeyId`.
 */
export function renderMappingTemplate(template: string, input: MappingInput): string {
  let parsed: unknown;
  try {
    parsed = input.body ? JSON.parse(input.body) : undefined;
  } catch {
    parsed = undefined;
  }
  const context = {
    input: {
      body: input.body,
      json: (path: string) => JSON.stringify(jsonPath(parsed, path) ?? null),
      path: (path: string) => jsonPath(parsed, path) ?? '',
    },
    util: {
      urlEncode: (s: unknown) => encodeURIComponent(String(s ?? '')),
      escapeJavaScript: (s: unknown) => JSON.stringify(String(s ?? '')).slice(1, -1),
      base64Encode: (s: unknown) => Buffer.from(String(s ?? '')).toString('base64'),
      base64Decode: (s: unknown) => Buffer.from(String(s ?? ''), 'base64').toString('utf8'),
      parseJson: (s: unknown) => JSON.parse(String(s)),
    },
    context: {
      requestId: input.requestId ?? '',
      identity: { apiKey: input.apiKey?.value ?? '', apiKeyId: input.apiKey?.id ?? '' },
    },
  };
  return render(template, context);
}
