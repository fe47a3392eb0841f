import type { S3Client } from '@aws-sdk/client-s3';
import { startDistribution } from './static-sites';

describe('the local CloudFront distribution', () => {
  it("serves its own bucket's objects and nothing an encoded `..` would reach in another bucket", async () => {
    // Prepare: an S3 that records the keys asked for and holds `index.html` and `app/main.js`.
    const asked: { Bucket: string; Key: string }[] = [];
    const held = new Set(['index.html', 'app/main.js']);
    const s3 = {
      send: async (command: { input: { Bucket: string; Key: string } }) => {
        asked.push(command.input);
        if (!held.has(command.input.Key))
          throw Object.assign(new Error('no such key'), { name: 'NoSuchKey' });
        return { ContentType: 'text/plain', Body: { transformToByteArray: async () => Buffer.from('ok') } };
      },
    } as unknown as S3Client;
    const { server, url } = await startDistribution({
      port: 0,
      bucket: 'site',
      defaultRootObject: 'index.html',
      s3,
      log: () => undefined,
    });
    try {
      const status = async (path: string) => (await fetch(`${url.replace(/\/$/, '')}${path}`)).status;
      // Act
      const answers = {
        root: await status('/'),
        object: await status('/app/main.js'),
        encodedSlash: await status('/app%2Fmain.js'),
        escape: await status('/..%2Fother-bucket%2Fsecret.txt'),
        dots: await status('/%2E%2E/other-bucket/secret.txt'),
        missing: await status('/nothing.txt'),
      };
      // Assess
      expect(answers).toEqual({
        root: 200,
        object: 200,
        encodedSlash: 200,
        escape: 404,
        dots: 404,
        missing: 404,
      });
      expect(asked.every((a) => a.Bucket === 'site')).toBe(true);
      expect(asked.map((a) => a.Key)).not.toContain('../other-bucket/secret.txt');
    } finally {
      server.close();
    }
  });
});
