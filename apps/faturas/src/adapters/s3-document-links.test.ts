import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { S3DocumentLinks } from './s3-document-links';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes=',
};
const at = new Date('2026-12-07T12:34:56Z');

/** What the SDK's presigner makes of the same GET, with the S3 client faturas used to build. */
async function sdkLink(
  region: string,
  bucket: string,
  key: string,
  fileName: string,
  endpoint?: string,
  withToken = true,
) {
  const client = new S3Client({
    region,
    forcePathStyle: true,
    credentials: withToken ? credentials : { ...credentials, sessionToken: undefined },
    ...(endpoint ? { endpoint } : {}),
  });
  return getSignedUrl(
    client,
    new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      ResponseContentDisposition: `attachment; filename="${fileName}"`,
    }),
    { expiresIn: 300, signingDate: at },
  );
}

describe('S3DocumentLinks', () => {
  const cases: [string, string, string, string, string | undefined][] = [
    ['us-east-1', 'faturas-documents-1a2b', 'invoices/1/000000001-9bc2b013.pdf', 'fatura-1-1.pdf', undefined],
    ['sa-east-1', 'faturas-documents-1a2b', "invoices/1/a b+c/ç!'()*~.xml", 'nota 1.xml', undefined],
    ['cn-north-1', 'faturas-documents-1a2b', 'invoices/2/000000002-x.pdf', 'fatura-2.pdf', undefined],
    ['us-east-1', 'orderplatform-local-docs', 'invoices/1/x.pdf', 'f.pdf', 'http://127.0.0.1:18905'],
  ];

  it.each(cases)(
    'signs in %s the link the SDK presigner signs (%s, %s)',
    async (region, bucket, key, name, ep) => {
      // Prepare
      const links = new S3DocumentLinks(bucket, {
        region,
        credentials: async () => credentials,
        ...(ep ? { endpoint: ep } : {}),
        now: () => at,
      });
      // Act
      const ours = await links.downloadUrl(key, name);
      // Assess
      expect(ours).toBe(await sdkLink(region, bucket, key, name, ep));
    },
  );

  it('signs without a session token when the credentials have none', async () => {
    // Prepare
    const links = new S3DocumentLinks('b-1', {
      region: 'us-east-1',
      credentials: async () => ({ ...credentials, sessionToken: undefined }),
      now: () => at,
    });
    // Act
    const ours = await links.downloadUrl('k/1.pdf', '1.pdf');
    // Assess
    expect(ours).not.toContain('X-Amz-Security-Token');
    expect(ours).toBe(await sdkLink('us-east-1', 'b-1', 'k/1.pdf', '1.pdf', undefined, false));
  });

  it('fails, rather than handing out a link S3 would refuse, when its credentials cannot be had', async () => {
    // Prepare
    const links = new S3DocumentLinks('b-1', {
      region: 'us-east-1',
      credentials: async () => {
        throw new Error('Could not load credentials from the environment');
      },
      now: () => at,
    });
    // Act + Assess
    await expect(links.downloadUrl('k/1.pdf', '1.pdf')).rejects.toThrow('Could not load credentials');
  });

  it('expires when asked, and signs again with the time it is asked at', async () => {
    // Prepare
    let now = at;
    const links = new S3DocumentLinks('b-1', {
      region: 'us-east-1',
      credentials: async () => credentials,
      expiresInSeconds: 60,
      now: () => now,
    });
    // Act
    const first = new URL(await links.downloadUrl('k/1.pdf', '1.pdf'));
    now = new Date(at.getTime() + 1000);
    const second = new URL(await links.downloadUrl('k/1.pdf', '1.pdf'));
    // Assess
    expect(first.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(first.searchParams.get('X-Amz-Date')).toBe('20261207T123456Z');
    expect(second.searchParams.get('X-Amz-Date')).toBe('20261207T123457Z');
    expect(second.searchParams.get('X-Amz-Signature')).not.toBe(first.searchParams.get('X-Amz-Signature'));
  });
});
