import { defaultProvider } from './credential-provider';
import { create } from './fontkit';
import { gte } from './semver';

describe('the Lambda bundle stand-ins', () => {
  it('compare versions the way semver.gte does for x.y.z', () => {
    expect(gte('3.972.84', '3.0.0')).toBe(true);
    expect(gte('2.1193.0', '2.7.15')).toBe(true);
    expect(gte('2.7.14', '2.7.15')).toBe(false);
    expect(gte('2.7.15', '2.7.15')).toBe(true);
    expect(gte('10.0.0', '9.99.99')).toBe(true);
    expect(() => gte('latest', '1.0.0')).toThrow(/Invalid version/);
  });

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
});
