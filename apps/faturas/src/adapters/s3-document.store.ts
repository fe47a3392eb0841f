import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DocumentStore } from '../application/ports';

/** Invoice documents in S3, in the Intelligent-Tiering storage class (they are read often at first, then rarely). */
export class S3DocumentStore implements DocumentStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Buffer | string, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        StorageClass: 'INTELLIGENT_TIERING',
        ServerSideEncryption: 'AES256',
      }),
    );
  }
}
