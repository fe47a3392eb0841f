import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DocumentLinks } from '../application/ports';

/** Presigned GET links to the invoices bucket, valid for `expiresInSeconds` (5 minutes by default). */
export class S3DocumentLinks implements DocumentLinks {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly expiresInSeconds = 300,
  ) {}

  downloadUrl(key: string, fileName: string): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: `attachment; filename="${fileName}"`,
      }),
      { expiresIn: this.expiresInSeconds },
    );
  }
}
