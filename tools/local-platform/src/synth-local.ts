import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TemplateError, WORKSPACE_ROOT } from '@order-platform/local-cloud';

const execFileAsync = promisify(execFile);

/** The newest modification time of the sources below a folder. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.(ts|json|cjs|js)$/.test(entry.name)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Bundles the handlers of these services (the same esbuild script `nx build` runs), in one process. */
export async function buildHandlers(services: string[]): Promise<void> {
  await execFileAsync(
    process.execPath,
    [
      join(WORKSPACE_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      join(WORKSPACE_ROOT, 'tools', 'scripts', 'src', 'build-lambdas.ts'),
      ...services,
    ],
    { cwd: WORKSPACE_ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
}

/**
 * Synthesizes the CDK app's `local` stage (handler bundles first) into `dist/cdk.out/local`, unless that
 * assembly is newer than every source file, and returns the assembly folder.
 */
export async function synthLocal(progress: (s: string) => void = () => undefined): Promise<string> {
  const out = join(WORKSPACE_ROOT, 'dist', 'cdk.out', 'local');
  const manifest = join(out, 'manifest.json');
  const sources = Math.max(
    ...['apps', 'libs', 'infra', 'tools/scripts'].map((d) => newestSource(join(WORKSPACE_ROOT, d))),
    statSync(join(WORKSPACE_ROOT, 'package-lock.json')).mtimeMs,
  );
  if (existsSync(manifest) && statSync(manifest).mtimeMs > sources) {
    progress('templates are up to date (dist/cdk.out/local)');
    return out;
  }
  // Every service's handlers in one esbuild run (the same bundles `nx build` makes, shared code parsed once).
  const services = readdirSync(join(WORKSPACE_ROOT, 'apps')).filter((app) =>
    existsSync(join(WORKSPACE_ROOT, 'apps', app, 'src', 'handlers')),
  );
  progress(`bundling the handlers of ${services.join(', ')}`);
  await buildHandlers(services).catch((error: { stdout?: string; stderr?: string }) => {
    throw new TemplateError(`Building the handlers failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  });
  progress('synthesizing the local stage (cdk-nag included)');
  await execFileAsync(
    process.execPath,
    [
      join(WORKSPACE_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      join(WORKSPACE_ROOT, 'tools', 'scripts', 'src', 'synth.ts'),
      'local',
    ],
    {
      cwd: WORKSPACE_ROOT,
      maxBuffer: 64 * 1024 * 1024,
      // cdk-nag runs; CDK's built-in CloudFormation rules (seconds of work) already run on every
      // `nx synth` and in `npm test`, on the same constructs.
      env: { ...process.env, CDK_VALIDATION: 'false' },
    },
  ).catch((error: { stdout?: string; stderr?: string }) => {
    throw new TemplateError(
      `Synthesizing the local stage failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
  });
  return out;
}
