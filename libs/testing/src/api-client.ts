/** A JSON response body; callers assert on its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are checked by the callers
export type Json = any;

export interface CallOptions {
  token?: string;
  /** Sent as JSON unless it is a string already. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** One call to a REST API as a client would make it: bearer token, JSON body, the answer parsed when JSON. */
export async function callApi(
  base: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: the text as it is */
  }
  return { status: res.status, body, headers: res.headers };
}
