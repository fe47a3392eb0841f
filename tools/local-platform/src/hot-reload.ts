/**
 * Hot reload for `npm start`: saving a handler's source (or anything it imports from `libs/`) rebuilds the
 * service's bundles, puts them in place of the functions' code, and the next invocation of each runs the new
 * code in a fresh sandbox. Nothing restarts; a failed build keeps the running code and says why.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { LambdaRuntime } from '@order-platform/local-cloud';
import { buildHandlers } from './synth-local';

export interface HotReloadOptions {
  /** The workspace: sources under `apps/<service>/src` and `libs/`, bundles under `dist/apps/<service>/<handler>`. */
  root: string;
  /** Rebuilds the bundles of these services (default: `buildHandlers`, the workspace's esbuild script). */
  build?: (services: string[]) => Promise<void>;
  /** How long to wait for more saves before building (ms). */
  debounceMs?: number;
}

const hashOf = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The bundle folders of the services, `dist/apps/<service>/<handler>`. */
function bundleDirs(root: string, services?: string[]): { service: string; dir: string }[] {
  const dist = join(root, 'dist', 'apps');
  if (!existsSync(dist)) return [];
  return readdirSync(dist)
    .filter((service) => !services || services.includes(service))
    .flatMap((service) =>
      readdirSync(join(dist, service)).map((handler) => ({ service, dir: join(dist, service, handler) })),
    );
}

export function watchHandlers(
  runtime: Pick<LambdaRuntime, 'functions' | 'recycle' | 'label'>,
  log: (line: string) => void,
  options: HotReloadOptions,
): { stop(): void; summary: string } {
  const { root } = options;
  const build = options.build ?? buildHandlers;
  // Which function runs which bundle: the asset a function runs is a copy of a bundle folder, so their
  // index.js are the same file; afterwards each bundle folder is known by its service and handler name.
  const bundleOf = new Map<string, string>();
  for (const { dir } of bundleDirs(root)) bundleOf.set(hashOf(join(dir, 'index.js')), relative(root, dir));
  const targets = new Map<string, { name: string; codeDir: string }[]>();
  for (const fn of runtime.functions()) {
    const index = join(fn.codeDir, 'index.js');
    const bundle = existsSync(index) ? bundleOf.get(hashOf(index)) : undefined;
    if (bundle) targets.set(bundle, [...(targets.get(bundle) ?? []), { name: fn.name, codeDir: fn.codeDir }]);
  }
  const services = readdirSync(join(root, 'apps')).filter((app) =>
    existsSync(join(root, 'apps', app, 'src', 'handlers')),
  );

  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let building = Promise.resolve();
  const rebuild = async (changed: string[]) => {
    const started = Date.now();
    try {
      await build(changed);
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message?: string };
      log(
        `build of ${changed.join(', ')} failed; the running code stays:\n${e.stderr || e.stdout || e.message}`,
      );
      return;
    }
    const reloaded: string[] = [];
    for (const { dir } of bundleDirs(root, changed)) {
      for (const fn of targets.get(relative(root, dir)) ?? []) {
        cpSync(dir, fn.codeDir, { recursive: true });
        runtime.recycle(fn.name);
        reloaded.push(runtime.label(fn.name));
      }
    }
    log(
      `${reloaded.length} function(s) of ${changed.join(', ')} reloaded in ${Date.now() - started} ms: ${reloaded.join(', ')}`,
    );
  };
  const changedFile = (base: string) => (_event: string, file: string | Buffer | null) => {
    if (!file || !/\.(ts|json)$/.test(String(file)) || /\.test\.ts$/.test(String(file))) return;
    const path = join(base, String(file));
    const inApps = relative(join(root, 'apps'), path).split(sep);
    // A service's own source rebuilds that service; a library rebuilds them all.
    if (base.endsWith(`${sep}apps`) || base.endsWith('/apps')) {
      if (services.includes(inApps[0]!) && inApps[1] === 'src') pending.add(inApps[0]!);
    } else for (const s of services) pending.add(s);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = [...pending];
      pending = new Set();
      if (changed.length) building = building.then(() => rebuild(changed));
    }, options.debounceMs ?? 300);
  };
  const watchers: FSWatcher[] = [];
  for (const base of [join(root, 'apps'), join(root, 'libs')])
    if (existsSync(base)) watchers.push(watch(base, { recursive: true }, changedFile(base)));
  const count = [...targets.values()].reduce((n, t) => n + t.length, 0);
  return {
    stop() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
    summary: `on: saving a handler's source (apps/*/src, libs/) rebuilds it; the next call runs it (${count} functions)`,
  };
}
