import { partition } from '@aws-sdk/core/client';
import { formatUrl } from '@aws-sdk/core/util';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { DocumentLinks } from '../application/ports';

export interface S3LinkSettings {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** An endpoint set for S3 (`AWS_ENDPOINT_URL_S3`, as the SDK reads it); otherwise S3's regional one. */
  endpoint?: string;
  expiresInSeconds?: number;
  now?: () => Date;
}

/** A key's path as S3 signs it: each segment encoded as `encodeURIComponent` and `!'()*` too, `/` kept. */
const encodePath = (path: string) =>
  path
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');

/**
 * Presigned GET links to the invoices bucket, valid for 5 minutes by default, path-style as the S3 client
 * of faturas addresses it. Signed with the SDK's own SigV4 signer, without the S3 client: the client
 * (~130 KiB of the function's bundle) would only serialize one GET. A test holds every link to what the
 * SDK's presigner makes of the same request.
 */
export class S3DocumentLinks implements DocumentLinks {
  private readonly signer: SignatureV4;
  private readonly origin: URL;

  constructor(
    private readonly bucket: string,
    private readonly settings: S3LinkSettings,
  ) {
    const { region, credentials } = settings;
    // S3 paths are signed as sent (no second encoding), and a presigned GET carries no payload hash.
    this.signer = new SignatureV4({
      service: 's3',
      region,
      credentials,
      sha256: Sha256,
      uriEscapePath: false,
      applyChecksum: false,
    });
    this.origin = new URL(settings.endpoint ?? `https://s3.${region}.${partition(region).dnsSuffix}`);
  }

  async downloadUrl(key: string, fileName: string): Promise<string> {
    const { protocol, hostname, port, pathname } = this.origin;
    const request = new HttpRequest({
      method: 'GET',
      protocol,
      hostname,
      ...(port ? { port: Number(port) } : {}),
      path: `${pathname.replace(/\/$/, '')}/${encodePath(this.bucket)}/${encodePath(key)}`,
      query: { 'response-content-disposition': `attachment; filename="${fileName}"`, 'x-id': 'GetObject' },
      // As the S3 client sends a GetObject (its response checksums on), and as its presigner hoists them.
      headers: {
        host: port ? `${hostname}:${port}` : hostname,
        'x-amz-checksum-mode': 'ENABLED',
        'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
      },
    });
    const signed = await this.signer.presign(request, {
      expiresIn: this.settings.expiresInSeconds ?? 300,
      signingDate: this.settings.now?.() ?? new Date(),
    });
    return formatUrl(signed);
  }
}
