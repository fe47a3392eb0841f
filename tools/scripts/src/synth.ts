/**
 * `nx synth`: synthesizes the CDK app of one stage into `dist/cdk.out/<stage>` (the output `nx deploy`
 * deploys and the local cloud runs). cdk-nag validates every stack on the way; a finding without an
 * acknowledgement fails the synth.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');
const stage = process.argv[2] || 'dev';
const service = process.argv[3];
const outdir = join(root, 'dist', 'cdk.out', stage);

export function synth(stageName: string, out: string): void {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'infra', 'src', 'main.ts')],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, CDK_OUTDIR: out, CDK_CONTEXT_JSON: JSON.stringify({ stage: stageName }) },
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
