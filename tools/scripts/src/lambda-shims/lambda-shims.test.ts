import { EndpointCache as RealEndpointCache } from '@aws-sdk/endpoint-cache';
import { defaultProvider } from './credential-provider';
import { EndpointCache } from './endpoint-cache';
import { create } from './fontkit';

describe('the Lambda bundle stand-ins', () => {
  it('refuse to embed a font instead of drawing nothing', () => {
    expect(() => create()).toThrow(/standard fonts/);
  });

  it('take the credentials Lambda puts in the environment', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
    });
    try {
      await expect(defaultProvider()()).resolves.toMatchObject({
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'secret',
        sessionToken: 'token',
      });
      delete process.env['AWS_ACCESS_KEY_ID'];
      await expect(defaultProvider()()).rejects.toThrow();
    } finally {
      process.env = saved;
    }
  });

  it('read the environment once per client, but again after a failed read', async () => {
    const saved = { ...process.env };
    delete process.env['AWS_ACCESS_KEY_ID'];
    process.env['AWS_SECRET_ACCESS_KEY'] = 'secret';
    try {
      const provider = defaultProvider();
      await expect(provider()).rejects.toThrow();
      process.env['AWS_ACCESS_KEY_ID'] = 'AKIDFIRST';
      await expect(provider()).resolves.toMatchObject({ accessKeyId: 'AKIDFIRST' });
      process.env['AWS_ACCESS_KEY_ID'] = 'AKIDSECOND';
      await expect(provider()).resolves.toMatchObject({ accessKeyId: 'AKIDFIRST' });
      await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'AKIDSECOND' });
    } finally {
      process.env = saved;
    }
  });

  it('keep discovered endpoints as the SDK endpoint cache does: expiry, least recently used first out', () => {
    const real = new RealEndpointCache(2);
    const shim = new EndpointCache(2);
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      const run = (cache: RealEndpointCache | EndpointCache) => {
        const seen: unknown[] = [cache.getEndpoint('a'), cache.has('a')];
        cache.set('a', [{ Address: 'a.example', CachePeriodInMinutes: 1 }]);
        cache.set('b', [{ Address: 'b.example', CachePeriodInMinutes: 10 }]);
        seen.push(cache.getEndpoint('a'), cache.get('b'));
        cache.set('c', [{ Address: 'c.example', CachePeriodInMinutes: 10 }]);
        seen.push(cache.has('a'), cache.has('b'), cache.getEndpoint('c'));
        now.mockReturnValue(1_000_000 + 61_000);
        cache.set('d', [{ Address: 'd.example', CachePeriodInMinutes: 1 }]);
        seen.push(cache.getEndpoint('b'), cache.has('c'), cache.getEndpoint('d'));
        now.mockReturnValue(1_000_000 + 61_000 + 60_000);
        seen.push(cache.getEndpoint('d'), cache.has('d'), cache.get('d'));
        cache.delete('b');
        seen.push(cache.has('b'));
        cache.clear();
        seen.push(cache.has('c'));
        now.mockReturnValue(1_000_000);
        return seen;
      };
      const expected = run(real);
      expect(expected).toEqual([
        undefined,
        false,
        'a.example',
        [{ Address: 'b.example', Expires: 1_600_000 }],
        false,
        true,
        'c.example',
        undefined,
        true,
        'd.example',
        undefined,
        false,
        undefined,
        false,
        false,
      ]);
      expect(run(shim)).toEqual(expected);
    } finally {
      now.mockRestore();
    }
  });
});
