import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { checkPresigned } from './s3-presigned';

const secrets: Record<string, string> = { S3RVER: 'S3RVER', LOCALABC: 'S3RVER' };
const secretOf = (id: string) => secrets[id];

/** A URL as a client sends it: the request line's target and the Host header. */
function asSent(link: string, method = 'GET') {
  const u = new URL(link);
  return { method, url: `${u.pathname}${u.search}`, headers: { host: u.host } };
}

async function presign(
  command: GetObjectCommand | PutObjectCommand,
  opts: { accessKeyId?: string; sessionToken?: string; expiresIn?: number } = {},
) {
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:4569',
    forcePathStyle: true,
    credentials: {
      accessKeyId: opts.accessKeyId ?? 'S3RVER',
      secretAccessKey: 'S3RVER',
      ...(opts.sessionToken ? { sessionToken: opts.sessionToken } : {}),
    },
  });
  return getSignedUrl(client, command, { expiresIn: opts.expiresIn ?? 300 });
}

const get = (key = "invoices/1/a b+c/ç!'()*~.pdf") =>
  new GetObjectCommand({
    Bucket: 'docs',
    Key: key,
    ResponseContentDisposition: 'attachment; filename="fatura 1.pdf"',
  });

describe('checkPresigned', () => {
  it("accepts what the SDK's presigner signs, with a session token and with a sandbox's key", async () => {
    // Prepare
    const plain = await presign(get());
    const token = await presign(get(), { sessionToken: 'IQo//tok+en=' });
    const sandbox = await presign(get('k.xml'), { accessKeyId: 'LOCALABC' });
    const put = await presign(new PutObjectCommand({ Bucket: 'docs', Key: 'up/1.bin' }));
    // Act + Assess
    expect(checkPresigned(asSent(plain), secretOf)).toBeUndefined();
    expect(checkPresigned(asSent(token), secretOf)).toBeUndefined();
    expect(checkPresigned(asSent(sandbox), secretOf)).toBeUndefined();
    expect(checkPresigned(asSent(put, 'PUT'), secretOf)).toBeUndefined();
  });

  it('refuses a link whose signature, key, query, host, method or secret was changed, as S3 does', async () => {
    // Prepare
    const link = await presign(get());
    const u = new URL(link);
    const signature = u.searchParams.get('X-Amz-Signature')!;
    const tampered = [
      link.replace(
        `X-Amz-Signature=${signature}`,
        `X-Amz-Signature=${signature.replace(/^./, (c) => (c === '0' ? '1' : '0'))}`,
      ),
      link.replace('/docs/invoices/1/', '/docs/invoices/2/'),
      link.replace('fatura%201.pdf', 'fatura%202.pdf'),
      link.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000'),
      `${link}&extra=1`,
    ];
    // Act
    const refusals = tampered.map((t) => checkPresigned(asSent(t), secretOf));
    const otherHost = checkPresigned({ ...asSent(link), headers: { host: '127.0.0.1:9999' } }, secretOf);
    const otherMethod = checkPresigned(asSent(link, 'DELETE'), secretOf);
    const otherSecret = checkPresigned(asSent(link), () => 'not-the-secret');
    // Assess
    for (const refusal of [...refusals, otherHost, otherMethod, otherSecret])
      expect(refusal).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
  });

  it('leaves alone what is not a presigned request, and a key it does not know', async () => {
    // Prepare
    const link = await presign(get(), { accessKeyId: 'SOMEONE' });
    // Act + Assess
    expect(
      checkPresigned({ method: 'GET', url: '/docs/k.pdf', headers: { host: 'h' } }, secretOf),
    ).toBeUndefined();
    expect(checkPresigned(asSent(link), secretOf)).toBeUndefined();
  });

  it('answers a malformed percent-escape in a presigned query as a parameters error, never throwing', () => {
    // Act
    const presigned = checkPresigned(
      { method: 'GET', url: '/docs/k.pdf?X-Amz-Signature=%E0%A4%A', headers: {} },
      secretOf,
    );
    const other = checkPresigned({ method: 'GET', url: '/docs/k.pdf?x=%E0%A4%A', headers: {} }, secretOf);
    // Assess
    expect(presigned).toMatchObject({ status: 400, code: 'AuthorizationQueryParametersError' });
    expect(other).toBeUndefined();
  });

  it('answers a malformed credential as a parameters error', () => {
    // Act
    const refusal = checkPresigned(
      {
        method: 'GET',
        url: '/docs/k.pdf?X-Amz-Signature=ab&X-Amz-Credential=S3RVER%2Fnope&X-Amz-Date=20261207T000000Z&X-Amz-SignedHeaders=host',
        headers: { host: 'h' },
      },
      secretOf,
    );
    // Assess
    expect(refusal).toMatchObject({ status: 400, code: 'AuthorizationQueryParametersError' });
  });
});
