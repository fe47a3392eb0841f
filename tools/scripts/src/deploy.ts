/**
 * `nx deploy <service> [-c dev|prod]`: synthesizes the stage once into `dist/cdk.out/<stage>` and deploys
 * that output, the service's stack alone (`--exclusively`). Without AWS credentials it stops with one
 * sentence and a non-zero exit.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { synth } from './synth';

const root = resolve(__dirname, '..', '..', '..');
const stage = process.argv[2] || 'dev';
const service = process.argv[3];
const part = service ? service.charAt(0).toUpperCase() + service.slice(1) : undefined;

async function hasCredentials(): Promise<boolean> {
  try {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000));
    const creds = await Promise.race([defaultProvider({ maxRetries: 0, timeout: 1000 })(), timeout]);
    return Boolean(creds.accessKeyId);
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  if (!(await hasCredentials())) {
    console.error(
      `Cannot deploy ${service ?? 'the platform'} to ${stage}: no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID, or run "aws sso login").`,
    );
    return 1;
  }
  const outdir = join(root, 'dist', 'cdk.out', stage);
  synth(stage, outdir);
  const stacks = part ? [`OrderPlatform-${stage}-${part}`] : ['--all'];
  const args = [
    'cdk',
    'deploy',
    '--app',
    outdir,
    ...stacks,
    ...(part ? ['--exclusively'] : []),
    '--require-approval',
    'broadening',
  ];
  const result = spawnSync('npx', args, { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`Deploy failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
