import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { safeServer } from './http-server';
import { extname, join, relative } from 'node:path';
import type { CreatedResource, Provisioner } from './provision';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * `Custom::CDKBucketDeployment` as its provider does it: every source asset's files into the destination
 * bucket (under its key prefix), with the deploy-time markers (`<<marker:0xbaba:N>>`) replaced by their
 * resolved values, JSON-escaped where the source asks. `rewrite` maps AWS endpoints in the result to the
 * local ones (the same mapping the functions' environment gets). Returns the keys written.
 */
export async function runBucketDeployment(
  deployment: CreatedResource,
  cdkOut: string,
  s3: S3Client,
  rewrite: (text: string) => string,
): Promise<string[]> {
  const p = deployment.properties;
  const keys = (p['SourceObjectKeys'] as string[]) ?? [];
  const markers = (p['SourceMarkers'] as Record<string, string>[] | undefined) ?? [];
  const markerConfig = (p['SourceMarkersConfig'] as { jsonEscape?: boolean }[] | undefined) ?? [];
  const bucket = String(p['DestinationBucketName']);
  const prefix = p['DestinationBucketKeyPrefix']
    ? `${String(p['DestinationBucketKeyPrefix']).replace(/\/$/, '')}/`
    : '';
  const written: string[] = [];
  for (const [i, key] of keys.entries()) {
    const dir = join(cdkOut, `asset.${key.replace(/\.zip$/, '')}`);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new Error(
        `Asset ${key} of ${deployment.stack}/${deployment.logicalId} is not a folder in ${cdkOut}`,
      );
    for (const file of filesUnder(dir)) {
      let body: Buffer = readFileSync(file);
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      if (/^(text|application\/json)/.test(type)) {
        let text = body.toString('utf8');
        for (const [marker, value] of Object.entries(markers[i] ?? {})) {
          const v = markerConfig[i]?.jsonEscape ? JSON.stringify(String(value)).slice(1, -1) : String(value);
          text = text.split(marker).join(v);
        }
        body = Buffer.from(rewrite(text), 'utf8');
      }
      const objectKey = `${prefix}${relative(dir, file).split('\\').join('/')}`;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey, Body: body, ContentType: type }));
      written.push(objectKey);
    }
  }
  return written;
}

export interface SiteDocument {
  contentType: string;
  body: Buffer;
}

/**
 * The API documents a site publishes (`<prefix>openapi.json` and the reference page beside it), as the
 * local REST origin serves them: `/openapi.json` and `/docs/<file>` (`/docs/` is its `index.html`).
 */
export function apiDocuments(
  s3: S3Client,
  bucket: string,
  prefix: string,
): (path: string) => Promise<SiteDocument | undefined> {
  return async (path) => {
    const file =
      path === '/openapi.json'
        ? 'openapi.json'
        : path.startsWith('/docs/')
          ? path.slice(6) || 'index.html'
          : '';
    if (!file || !/^[\w-][\w.-]*$/.test(file)) return undefined; // one file of the folder, no `..`
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}${file}` }));
      return {
        contentType: object.ContentType ?? CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        body: Buffer.from(await object.Body!.transformToByteArray()),
      };
    } catch (error) {
      if (['NoSuchKey', 'NotFound'].includes((error as { name?: string }).name ?? '')) return undefined;
      throw error;
    }
  };
}

/** A CloudFront distribution's S3 origin: the bucket named in its origin domain. */
export function distributionBucket(distribution: CreatedResource, p: Provisioner): string | undefined {
  const config = distribution.properties['DistributionConfig'] as { Origins?: { DomainName?: string }[] };
  const domain = config?.Origins?.[0]?.DomainName ?? '';
  const bucket = p
    .byType('AWS::S3::Bucket')
    .find((b) => [b.attrs['RegionalDomainName'], b.attrs['DomainName']].includes(domain));
  return bucket?.ref;
}

/**
 * A CloudFront distribution in front of an S3 bucket, on a local port: GET/HEAD of objects, the default
 * root object for `/`, 404 for what the bucket does not hold, no caching.
 */
export function startDistribution(options: {
  port: number;
  bucket: string;
  defaultRootObject: string;
  s3: S3Client;
  log: (line: string) => void;
}): Promise<{ server: http.Server; url: string }> {
  const server = safeServer(async (req, res) => {
    const path = decodeURIComponent(new URL(`http://local${req.url ?? '/'}`).pathname);
    const key = path === '/' ? options.defaultRootObject : path.replace(/^\//, '');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    // S3 takes `..` in a key literally; the local S3's HTTP path would not, and an encoded `..%2F` would
    // reach another bucket. No site object is named so: what AWS answers is a miss.
    if (key.split('/').some((segment) => segment === '..' || segment === '.') || key.includes('\0')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
      return;
    }
    try {
      const object = await options.s3.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
      const body = Buffer.from(await object.Body!.transformToByteArray());
      res.writeHead(200, {
        'Content-Type': object.ContentType ?? CONTENT_TYPES[extname(key)] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      const missing = ['NoSuchKey', 'NotFound'].includes((error as { name?: string }).name ?? '');
      if (!missing) options.log(`GET ${path} failed: ${(error as Error).message}`);
      res
        .writeHead(missing ? 404 : 502, { 'Content-Type': 'text/plain' })
        .end(missing ? 'Not Found' : 'Bad Gateway');
    }
  }, options.log);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    });
  });
}
