import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, matchesGlob, relative, resolve } from 'node:path';

const WORKSPACE_ROOT = resolve(__dirname, '..', '..', '..');
const NX = join(WORKSPACE_ROOT, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');

/** The workspace files a module reaches through its relative imports, itself included. */
function localModules(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const m of source.matchAll(/(?:from|import|require\()\s*'(\.{1,2}\/[^']+)'/g)) {
    const base = resolve(dirname(file), m[1]!);
    const found = [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts')].find(
      (candidate) => existsSync(candidate) && !candidate.endsWith('/'),
    );
    if (found && !found.endsWith('.json')) localModules(found, seen);
  }
  return seen;
}

/** Whether a workspace-relative path is in an Nx named input (its `{workspaceRoot}/` globs). */
function inNamedInput(globs: string[], path: string): boolean {
  const matches = (glob: string) => matchesGlob(path, glob.replace('{workspaceRoot}/', ''));
  return (
    globs.some((g) => !g.startsWith('!') && matches(g)) &&
    !globs.some((g) => g.startsWith('!') && matches(g.slice(1)))
  );
}

describe("the bundles' cache inputs", () => {
  const nx = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'nx.json'), 'utf8')) as {
    namedInputs: Record<string, string[]>;
  };
  const bundler = nx.namedInputs['bundler']!;

  it('name every module of the bundler, so a changed plugin or stand-in builds and tests again', () => {
    const modules = [...localModules(join(WORKSPACE_ROOT, 'tools/scripts/src/build-lambdas.ts'))].map((f) =>
      relative(WORKSPACE_ROOT, f),
    );
    expect(modules).toEqual(
      expect.arrayContaining([
        'tools/scripts/src/lambda-shims/never-run.ts',
        'tools/scripts/src/lambda-shims/pure-dependencies.ts',
      ]),
    );
    expect(modules.filter((m) => !inNamedInput(bundler, m))).toEqual([]);
    expect(inNamedInput(bundler, 'tools/scripts/src/lambda-shims/never-run.test.ts')).toBe(false);
  });

  it('are the inputs of every service build and of the tests that run the platform, as Nx resolves them', () => {
    // What Nx itself makes of nx.json, the service plugin and the projects' own targets: its project graph.
    const file = join(mkdtempSync(join(tmpdir(), 'nx-graph-')), 'graph.json');
    execFileSync(process.execPath, [NX, 'graph', `--file=${file}`], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
    });
    const graph = JSON.parse(readFileSync(file, 'utf8')) as {
      graph: {
        nodes: Record<string, { data: { targets: Record<string, { inputs?: unknown[] }> } }>;
        dependencies: Record<string, { target: string }[]>;
      };
    };
    rmSync(dirname(file), { recursive: true, force: true });
    const targets = (project: string) => graph.graph.nodes[project]!.data.targets;
    for (const service of ['produtos', 'pedidos', 'faturas', 'painel'])
      expect(targets(service)['build']!.inputs).toContain('bundler');
    expect(targets('e2e')['test']!.inputs).toContain('bundler');
    // The order-usage guard (scripts:test) runs the whole platform: every service's sources are its inputs.
    const services = ['produtos', 'pedidos', 'faturas', 'painel', 'infra'];
    for (const project of ['e2e', 'scripts'])
      expect(graph.graph.dependencies[project]!.map((d) => d.target)).toEqual(
        expect.arrayContaining(services),
      );
  }, 60_000);
});
