import { InvalidPageTokenError } from '@order-platform/lambda-kit';

export { InvalidPageTokenError };

/** The opaque `nextToken` of a DynamoDB page: its last evaluated key, base64url JSON. */
export function encodePageToken(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * Reads a `nextToken` back into the key DynamoDB resumes from, refusing anything this listing could not have
 * issued: exactly the index's key attributes, all strings, and the partition `expected` (so a token of one
 * customer's listing never resumes another's, and a forged one never reaches DynamoDB).
 */
export function decodePageToken(
  token: string,
  attributes: readonly string[],
  expected: Record<string, string> = {},
): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidPageTokenError();
  }
  if (!key || typeof key !== 'object' || Array.isArray(key)) throw new InvalidPageTokenError();
  const entries = Object.entries(key as Record<string, unknown>);
  const fits =
    entries.length === attributes.length &&
    entries.every(
      ([name, value]) => attributes.includes(name) && typeof value === 'string' && value.length <= 1024,
    ) &&
    Object.entries(expected).every(([name, value]) => (key as Record<string, unknown>)[name] === value);
  if (!fits) throw new InvalidPageTokenError();
  return key as Record<string, string>;
}
