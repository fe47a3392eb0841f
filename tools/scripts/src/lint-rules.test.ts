import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// The import boundaries the README promises, proved on fixtures: each is linted with the workspace's own
// configuration as if it sat where its first line says. ESLint loads its flat config with a dynamic import,
// which Jest's module sandbox cannot do, so the linting runs in one plain Node process.
const root = resolve(__dirname, '..', '..', '..');
const fixtures = join(__dirname, '..', 'lint-fixtures');
const LINT = `
  import { ESLint } from 'eslint';
  const input = JSON.parse(await new Promise((r) => { let s = ''; process.stdin.on('data', (c) => (s += c)); process.stdin.on('end', () => r(s)); }));
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = {};
  for (const { name, code, filePath } of input) {
    const [result] = await eslint.lintText(code, { filePath });
    out[name] = result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  }
  process.stdout.write(JSON.stringify(out));
`;

let found: Record<string, string[]>;
beforeAll(() => {
  const input = readdirSync(fixtures)
    .filter((f) => f.endsWith('.ts'))
    .map((name) => {
      const code = readFileSync(join(fixtures, name), 'utf8');
      const as = /^\/\/ as: (\S+)/.exec(code)?.[1];
      if (!as) throw new Error(`${name} does not say where it sits`);
      return { name, code, filePath: join(root, as) };
    });
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', LINT], {
    cwd: root,
    input: JSON.stringify(input),
    encoding: 'utf8',
  });
  found = JSON.parse(output) as Record<string, string[]>;
}, 60000);

async function restrictedImports(fixture: string): Promise<string[]> {
  if (!found[fixture]) throw new Error(`${fixture} was not linted`);
  return found[fixture].map((m) => /'([^']+)' import/.exec(m)?.[1] ?? m);
}

describe('import boundaries (eslint.config.mjs)', () => {
  it('keeps the AWS SDK out of domain code', async () => {
    expect(await restrictedImports('sdk-in-domain.ts')).toEqual(['@aws-sdk/client-dynamodb']);
  });

  it('keeps adapters out of use cases', async () => {
    expect(await restrictedImports('adapter-in-use-case.ts')).toEqual([
      '@order-platform/aws-adapters',
      '../adapters/dynamodb-order.repository',
    ]);
  });

  it('keeps the SDK and adapters out of handlers: only composition roots wire them', async () => {
    expect(await restrictedImports('sdk-in-handler.ts')).toEqual([
      '@aws-sdk/client-sqs',
      '../adapters/http-partner.callbacks',
    ]);
    expect(await restrictedImports('sdk-in-composition.ts')).toEqual([]);
  });

  it('still keeps a service from importing another service where the AWS rules also apply', async () => {
    expect(await restrictedImports('other-service.ts')).toEqual(['@order-platform/pedidos-stack']);
  });

  it('lets use-case tests use the fakes of application/testing', async () => {
    expect(await restrictedImports('fake-in-use-case-test.ts')).toEqual([]);
  });

  it("takes zod from the contracts' z, never from the package", async () => {
    expect(await restrictedImports('zod-outside-contracts.ts')).toEqual(['zod', 'zod/mini']);
    expect(await restrictedImports('zod-in-use-case.ts')).toEqual(['zod']);
  });

  it('checks every fixture here', () => {
    expect(readdirSync(fixtures).filter((f) => f.endsWith('.ts'))).toHaveLength(8);
  });
});
