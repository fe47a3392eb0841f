import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchHandlers } from './hot-reload';

/** A workspace of one service with one handler, whose function runs a copy of its bundle. */
function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'hot-reload-'));
  mkdirSync(join(root, 'apps', 'svc', 'src', 'handlers'), { recursive: true });
  mkdirSync(join(root, 'libs', 'kit', 'src'), { recursive: true });
  mkdirSync(join(root, 'dist', 'apps', 'svc', 'do-it'), { recursive: true });
  mkdirSync(join(root, 'asset'), { recursive: true });
  writeFileSync(join(root, 'dist', 'apps', 'svc', 'do-it', 'index.js'), 'exports.v = 1;');
  writeFileSync(join(root, 'asset', 'index.js'), 'exports.v = 1;');
  const recycled: string[] = [];
  const runtime = {
    functions: () => [{ name: 'fn-do-it', codeDir: join(root, 'asset') }] as never,
    recycle: (name: string) => void recycled.push(name),
    label: (name: string) => `Svc/${name}`,
  };
  return { root, runtime, recycled };
}

const until = async (probe: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('not in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('hot reload', () => {
  it("rebuilds a service when its source is saved, puts the new bundle in place of the function's code and recycles it", async () => {
    // Prepare
    const { root, runtime, recycled } = workspace();
    const built: string[][] = [];
    const lines: string[] = [];
    const watcher = watchHandlers(runtime, (l) => lines.push(l), {
      root,
      debounceMs: 50,
      build: async (services) => {
        built.push(services);
        writeFileSync(join(root, 'dist', 'apps', 'svc', 'do-it', 'index.js'), 'exports.v = 2;');
      },
    });
    try {
      // Act
      writeFileSync(join(root, 'apps', 'svc', 'src', 'handlers', 'do-it.handler.ts'), 'export const v = 2;');
      await until(() => recycled.length > 0);
      // Assess
      expect(built).toEqual([['svc']]);
      expect(readFileSync(join(root, 'asset', 'index.js'), 'utf8')).toBe('exports.v = 2;');
      expect(recycled).toEqual(['fn-do-it']);
      expect(lines.at(-1)).toMatch(/1 function\(s\) of svc reloaded in \d+ ms: Svc\/fn-do-it/);
      expect(watcher.summary).toMatch(/\(1 functions\)/);
    } finally {
      watcher.stop();
    }
  });

  it('keeps the running code and says why when the build fails; a library change rebuilds every service', async () => {
    // Prepare
    const { root, runtime, recycled } = workspace();
    const built: string[][] = [];
    const lines: string[] = [];
    const watcher = watchHandlers(runtime, (l) => lines.push(l), {
      root,
      debounceMs: 50,
      build: async (services) => {
        built.push(services);
        throw Object.assign(new Error('exit 1'), { stderr: 'src/kit.ts(1,1): error TS1005' });
      },
    });
    try {
      // Act
      writeFileSync(join(root, 'libs', 'kit', 'src', 'kit.ts'), 'export const = ;');
      await until(() => lines.length > 0);
      // Assess
      expect(built).toEqual([['svc']]);
      expect(lines[0]).toMatch(
        /build of svc failed; the running code stays:\nsrc\/kit.ts\(1,1\): error TS1005/,
      );
      expect(readFileSync(join(root, 'asset', 'index.js'), 'utf8')).toBe('exports.v = 1;');
      expect(recycled).toEqual([]);
    } finally {
      watcher.stop();
    }
  });
});
