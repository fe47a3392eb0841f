/**
 * `nx synth`: synthesizes the CDK app of one stage into `dist/cdk.out/<stage>` (the output `nx deploy`
 * deploys and the local cloud runs). cdk-nag validates every stack on the way; a finding without an
 * acknowledgement fails the synth.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');
const stage = process.argv[2] || 'dev';
const service = process.argv[3];
const outdir = join(root, 'dist', 'cdk.out', stage);

/**
 * Holds `<out>.lock` while `run` works: `nx run-many -t synth` starts one synth per project and each writes
 * the same assembly folder; without the lock two of them stage assets at once and one dies with EEXIST.
 * A lock left by a process that is gone is taken over.
 */
export function withOutdirLock<T>(out: string, run: () => T, timeoutMs = 10 * 60_000): T {
  const lock = `${out}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!holderAlive(lock)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return run();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function holderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // Just created and the pid not written yet, unless that was long ago (its holder died in between).
    try {
      return Date.now() - statSync(lock).mtimeMs < 30_000;
    } catch {
      return false;
    }
  }
  if (!pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The stage settings an operator keeps in `cdk.context.json` at the workspace root, as the CDK does
 * (`alarmEmail`, `alarmEmail.prod`, `paymentProvider`...): the one place configuration lives outside code.
 */
function stageContext(): Record<string, unknown> {
  const file = join(root, 'cdk.context.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
}

export function synth(stageName: string, out: string): void {
  withOutdirLock(out, () => synthUnlocked(stageName, out));
}

function synthUnlocked(stageName: string, out: string): void {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'infra', 'src', 'main.ts')],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        CDK_OUTDIR: out,
        CDK_CONTEXT_JSON: JSON.stringify({ ...stageContext(), stage: stageName }),
      },
    },
  );
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(__filename)) {
  const started = Date.now();
  try {
    synth(stage, outdir);
  } catch {
    console.error(`Synth of stage ${stage} failed (see above).`);
    process.exit(1);
  }
  const templates = readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
  const wanted = service
    ? templates.filter((t) => t.toLowerCase().includes(`-${service.toLowerCase()}.`))
    : templates;
  if (service && (!wanted.length || !existsSync(join(outdir, wanted[0]!)))) {
    console.error(`No template for ${service} in ${outdir}`);
    process.exit(1);
  }
  console.log(`Synthesized ${stage} in ${Date.now() - started} ms → ${outdir}: ${wanted.join(', ')}`);
}
