import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { getCanonicalQuery } from '@smithy/signature-v4';

/** Why S3 refuses a presigned request, in its own words; `undefined` when it holds. */
export interface PresignedRefusal {
  status: number;
  code: 'SignatureDoesNotMatch' | 'AuthorizationQueryParametersError';
  message: string;
}

/** A query string's parameters as S3 reads them: `+` is a plus, not a space (SigV4 encodes a space %20). */
function queryOf(url: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  const search = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  for (const part of search.split('&')) {
    if (!part) continue;
    const at = part.indexOf('=');
    const key = decodeURIComponent(at < 0 ? part : part.slice(0, at));
    const value = at < 0 ? '' : decodeURIComponent(part.slice(at + 1));
    const seen = query[key];
    query[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return query;
}

const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

/**
 * Checks the signature of a presigned S3 request (query-string SigV4) as S3 does: the canonical request
 * rebuilt from the method, the path as sent, every query parameter but the signature, the headers the
 * signer named, and `UNSIGNED-PAYLOAD`; signed with the secret of the access key in the credential scope.
 * s3rver checks a presigned request's expiry but not its SigV4 signature, so without this a tampered or
 * wrongly signed link opened locally and failed in AWS. Anything that is not a presigned request
 * (no `X-Amz-Signature` in the query) is not this check's business: `undefined`.
 */
export function checkPresigned(
  req: Pick<http.IncomingMessage, 'method' | 'url' | 'headers'>,
  secretOf: (accessKeyId: string) => string | undefined,
): PresignedRefusal | undefined {
  const url = req.url ?? '/';
  const malformed = (message: string): PresignedRefusal => ({
    status: 400,
    code: 'AuthorizationQueryParametersError',
    message,
  });
  let query: Record<string, string | string[]>;
  try {
    query = queryOf(url);
  } catch {
    // A malformed percent-escape: refused if it claims to be a presigned request, else s3rver's to answer.
    return url.includes('X-Amz-Signature=')
      ? malformed('The query string is not valid URL encoding.')
      : undefined;
  }
  const provided = query['X-Amz-Signature'];
  if (provided === undefined) return undefined;
  const credential = query['X-Amz-Credential'];
  const longDate = query['X-Amz-Date'];
  const signedHeaders = query['X-Amz-SignedHeaders'];
  if (typeof credential !== 'string' || typeof longDate !== 'string' || typeof signedHeaders !== 'string')
    return malformed(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  const [accessKeyId = '', shortDate = '', region = '', service = '', terminator] = credential.split('/');
  if (terminator !== 'aws4_request' || !/^\d{8}T\d{6}Z$/.test(longDate) || !longDate.startsWith(shortDate))
    return malformed(`Error parsing the X-Amz-Credential parameter: ${credential}`);
  const secret = secretOf(accessKeyId);
  // An unknown key is s3rver's to refuse (InvalidAccessKeyId), as S3 does before any signature.
  if (secret === undefined) return undefined;

  const names = signedHeaders.split(';');
  const headerLines = names.map((name) => {
    const value = req.headers[name];
    const text = Array.isArray(value) ? value.join(',') : (value ?? '');
    return `${name}:${text.trim().replace(/\s+/g, ' ')}`;
  });
  const canonicalRequest = [
    req.method ?? 'GET',
    url.split('?')[0],
    getCanonicalQuery({ query } as Parameters<typeof getCanonicalQuery>[0]),
    ...headerLines,
    '',
    signedHeaders,
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = `${shortDate}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    longDate,
    scope,
    createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  let key: Buffer = hmac(`AWS4${secret}`, shortDate);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const expected = Buffer.from(hmac(key, stringToSign).toString('hex'));
  const given = Buffer.from(String(provided));
  if (given.length === expected.length && timingSafeEqual(given, expected)) return undefined;
  return {
    status: 403,
    code: 'SignatureDoesNotMatch',
    message:
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  };
}
