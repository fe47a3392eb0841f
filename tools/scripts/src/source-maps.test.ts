import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ownSourcesOnly, type SourceMap } from './source-maps';

const root = resolve(__dirname, '..', '..', '..');

/** Runs `call` on the bundle as a function runs, with `--enable-source-maps`; its stack trace. */
function stackOf(bundle: string, call: string): string {
  const run = spawnSync(
    process.execPath,
    [
      '--enable-source-maps',
      '-e',
      `try { require(${JSON.stringify(bundle)}).${call}() } catch (e) { console.log(e.stack) }`,
    ],
    { encoding: 'utf8' },
  );
  return run.stdout;
}

describe("a function bundle's source map", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'source-maps-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the platform’s own files and lines in stack traces, and drops what maps the dependencies', async () => {
    // Prepare: a handler's own code, which fails itself and calls a dependency (zod) that fails.
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      [
        "import * as z from '@order-platform/contracts/zod';",
        'const Amount = z.int();',
        'export function own(): never {',
        "  throw new Error('own failure');",
        '}',
        'export function viaDependency(): number {',
        '  return Amount.parse(1.5);',
        '}',
      ].join('\n'),
    );
    await build({
      entryPoints: [entry],
      outfile: join(dir, 'index.js'),
      absWorkingDir: root,
      tsconfig: join(root, 'tsconfig.base.json'),
      nodePaths: [join(root, 'node_modules')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      mainFields: ['module', 'main'],
      logLevel: 'silent',
    });
    const mapFile = join(dir, 'index.js.map');
    const whole = JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMap;
    const bundle = join(dir, 'index.js');
    const before = { own: stackOf(bundle, 'own'), via: stackOf(bundle, 'viaDependency') };
    // Act
    const trimmed = ownSourcesOnly(whole);
    writeFileSync(mapFile, JSON.stringify(trimmed));
    const after = { own: stackOf(bundle, 'own'), via: stackOf(bundle, 'viaDependency') };
    // Assess: the dependencies' sources are gone ...
    expect(whole.sources.some((s) => s.includes('node_modules/zod/'))).toBe(true);
    expect(trimmed.sources.filter((s) => s.includes('node_modules/'))).toEqual([]);
    expect([...trimmed.sources].sort()).toEqual([
      expect.stringMatching(/libs\/contracts\/src\/zod\.ts$/),
      'entry.ts',
    ]);
    expect(JSON.stringify(trimmed).length).toBeLessThan(JSON.stringify(whole).length / 5);
    // ... and the platform's own frames read as before: the file and line that failed, or that called.
    expect(after.own).toMatch(/own failure\n\s+at .*entry\.ts:4:\d+\)/);
    expect(after.own.split('\n')[1]).toBe(before.own.split('\n')[1]);
    expect(after.via).toMatch(/\n\s+at .*entry\.ts:7:\d+\)/);
    // A frame inside the dependency: mapped to it before, the bundle's own position after, never the
    // platform's nearest line before it.
    const firstFrame = (stack: string) => stack.split('\n').find((l) => /^\s+at /.test(l)) ?? '';
    expect(firstFrame(before.via)).toMatch(/node_modules\/zod\//);
    expect(firstFrame(after.via)).toMatch(/index\.js:\d+:\d+\)?$/);
    expect(after.via).not.toMatch(/node_modules\//);
  }, 60_000);
});
