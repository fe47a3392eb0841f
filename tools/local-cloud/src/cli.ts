/**
 * The local cloud's command line, for any CDK app: `runLocalCloudCli(argv, app)` starts it, prints a
 * summary and runs until Ctrl-C. Options: `--cdk-out <dir>` (an assembly, instead of the app's
 * `synthesize`), `--quiet` hides the functions' logs, `--api-port N` (default 3000), `--ws-port N` (3001),
 * `--site-port N` (3002), `--chaos <spec>` injects faults (`--chaos default` for the default spec; see
 * chaos.ts), `--waf off` lifts the web ACLs' rate limits (enforced by default, as in AWS), `--iam
 * enforce|warn|off` applies the functions' roles to their calls (enforce by default, see iam.ts), `--inspect
 * <function>` opens that function's sandbox to a debugger (from port 9229) and lifts its timeout, `--xray
 * off` stops recording traces (on by default; see xray.ts), `--persist` keeps tables, buckets, users, queued
 * messages, API keys and the demo data in `.local-cloud/state` across runs (see persist.ts).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CHAOS } from './chaos';
import { LocalCloudError } from './emulators';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from './local-cloud';
import { TemplateError } from './provision';
import type { IamMode } from './iam';

/** What an app brings to the command line: its name, how to synthesize it, its demo data. */
export interface CliApp {
  name: string;
  synthesize?: LocalCloudOptions['synthesize'];
  seed?: LocalCloudOptions['seed'];
  /** Lines of its own for the summary (what to open first, who to sign in as). */
  notes?: (outputs: LocalCloud['outputs']) => string[];
  /**
   * The app's developer loop, started once the cloud runs (hot reload of handlers): returns how to stop it
   * and a line for the summary.
   */
  watch?: (cloud: LocalCloud, log: (line: string) => void) => { stop(): void; summary: string };
}

export function runLocalCloudCli(argv: string[], app: CliApp): void {
  main(argv, app).catch((error) => {
    if (error instanceof LocalCloudError || error instanceof TemplateError) console.error(error.message);
    else console.error(`The local cloud failed: ${(error as Error).stack ?? error}`);
    process.exit(1);
  });
}

// The lockfile pins the SDK, so its notice about releases after early 2027 needing Node 22 is noise here
// (the Lambdas themselves target Node 22).
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

let quiet = false;
const colors = [36, 33, 35, 32, 34, 31];
const colorOf = new Map<string, number>();
function log(source: string, line: string): void {
  if (quiet) return;
  if (!colorOf.has(source)) colorOf.set(source, colors[colorOf.size % colors.length]!);
  let text = line;
  try {
    const j = JSON.parse(line) as {
      level?: string;
      message?: string;
      correlationId?: string;
      stack?: string;
      error?: { message?: string; stack?: string };
    };
    if (j.message) {
      const detail = j.stack ?? j.error?.stack ?? j.error?.message;
      text = `${j.level ?? ''} ${j.message}${j.correlationId ? ` [${j.correlationId}]` : ''}${detail ? `\n${detail}` : ''}`;
    }
  } catch {
    /* not JSON: print as it is */
  }
  process.stdout.write(`\x1b[${colorOf.get(source)}m${source.padEnd(28)}\x1b[0m ${text}\n`);
}

/** A command line the local cloud cannot run: what is wrong, printed with the usage. */
export class CliUsageError extends Error {}

export const CLI_USAGE = `Options:
  --quiet                 hide the functions' logs
  --persist               keep tables, buckets, users, queued messages, API keys and the demo data in
                          .local-cloud/state across runs
  --api-port N            the REST APIs' port (3000); --ws-port N (3001), --site-port N (3002); 0 picks one
  --waf enforce|off       the web ACLs' rate limits (enforce)
  --iam enforce|warn|off  the functions' roles applied to their calls (enforce)
  --xray on|off           record traces of functions with active tracing (on)
  --inspect <function>    open that function's sandbox to a debugger (from port 9229), no timeout
  --chaos <spec>|default  inject faults (e.g. lambda-error=0.05,lambda-crash=0.02)
  --cdk-out <dir>         run this cloud assembly instead of synthesizing the app
  -h, --help              show this`;

export interface CliOptions {
  help: boolean;
  quiet: boolean;
  persist: boolean;
  apiPort: number;
  webSocketPort: number;
  sitePort: number;
  waf: 'enforce' | 'off';
  iam: IamMode;
  xray: 'on' | 'off';
  inspect?: string;
  chaos?: string;
  cdkOut?: string;
}

/**
 * Options and their values as written, strictly (with `-h, --help`): an unknown option, a stray word or a
 * missing value is a CliUsageError naming it. Shared with the workspace's scripts.
 */
export function strictArgs(
  argv: string[],
  options: Record<string, { type: 'string' | 'boolean' }>,
): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { help: { type: 'boolean', short: 'h' }, ...options },
    }).values;
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}

/** The command line, strictly: an unknown option, a missing value or a value out of its range is refused. */
export function parseCliArgs(argv: string[]): CliOptions {
  const values = strictArgs(argv, {
    quiet: { type: 'boolean' },
    persist: { type: 'boolean' },
    'api-port': { type: 'string' },
    'ws-port': { type: 'string' },
    'site-port': { type: 'string' },
    waf: { type: 'string' },
    iam: { type: 'string' },
    xray: { type: 'string' },
    inspect: { type: 'string' },
    chaos: { type: 'string' },
    'cdk-out': { type: 'string' },
  });
  const port = (name: string, fallback: number) => {
    const raw = values[name] as string | undefined;
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n > 65535)
      throw new CliUsageError(`--${name} takes a port from 0 to 65535, not "${raw}"`);
    return n;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = (values[name] as string | undefined) ?? fallback;
    if (!allowed.includes(raw as T))
      throw new CliUsageError(`--${name} takes ${allowed.join(' or ')}, not "${raw}"`);
    return raw as T;
  };
  const chaos = values['chaos'] as string | undefined;
  return {
    help: values['help'] === true,
    quiet: values['quiet'] === true,
    persist: values['persist'] === true,
    apiPort: port('api-port', 3000),
    webSocketPort: port('ws-port', 3001),
    sitePort: port('site-port', 3002),
    waf: oneOf('waf', ['enforce', 'off'] as const, 'enforce'),
    iam: oneOf('iam', ['enforce', 'warn', 'off'] as const, 'enforce'),
    xray: oneOf('xray', ['on', 'off'] as const, 'on'),
    inspect: values['inspect'] as string | undefined,
    chaos: chaos === 'default' ? DEFAULT_CHAOS : chaos,
    cdkOut: values['cdk-out'] as string | undefined,
  };
}

async function main(argv: string[], app: CliApp): Promise<void> {
  const started = Date.now();
  let args: CliOptions;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    console.error(`${error.message}\n\n${CLI_USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(`${app.name} on the local cloud.\n\n${CLI_USAGE}`);
    return;
  }
  quiet = args.quiet;
  const { apiPort, webSocketPort, sitePort, chaos, waf, iam, xray, inspect, cdkOut } = args;
  // Children (emulators, sandboxes) also exit by themselves when this process goes: their IPC channel closes.
  const running: { cloud?: LocalCloud } = {};
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the local cloud...');
    await running.cloud?.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const cloud = await startLocalCloud({
    ...(cdkOut ? { cdkOut } : { synthesize: app.synthesize }),
    seed: app.seed,
    apiPort,
    webSocketPort,
    sitePort,
    chaos,
    waf,
    iam,
    inspect,
    tracing: xray === 'on',
    persist: args.persist,
    // Injected faults show even with --quiet.
    log: (source, line) => (source === 'chaos' && quiet ? console.log(`chaos  ${line}`) : log(source, line)),
    progress: (step) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${step}`),
  });
  running.cloud = cloud;
  const watching = app.watch?.(cloud, (line) => console.log(`reload ${line}`));
  if (watching) process.on('exit', () => watching.stop());
  const o = cloud.outputs;
  const line = '─'.repeat(72);
  console.log(
    `\n${line}\n ${app.name} running locally — ready in ${(o.readyInMs / 1000).toFixed(1)} s\n${line}`,
  );
  console.log(` REST API        ${o.apiUrl}`);
  console.log(` Site            ${o.dashboardUrl ?? '(no distribution in the templates)'}`);
  console.log(` WebSocket       ${o.webSocketUrl ?? '(no WebSocket API in the templates)'}`);
  console.log(
    ` Cognito         ${o.cognito.endpoint}  pool ${o.cognito.userPoolId}  client ${o.cognito.clientId}`,
  );
  console.log(` Sent e-mail     ${o.emulators['ses']}/store`);
  console.log(
    ` AWS CLI         AWS_ACCESS_KEY_ID=${o.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=${o.credentials.secretAccessKey} ` +
      `AWS_DEFAULT_REGION=${o.region} aws --endpoint-url ${o.emulators['dynamodb']} dynamodb list-tables`,
  );
  if (o.waf === 'off') console.log(' Rate limits     off (--waf off)');
  console.log(
    ` IAM             ${o.iam}${o.iam === 'enforce' ? ' (each function may do what its role allows; --iam warn|off)' : ''}`,
  );
  if (o.emulators['xray'])
    console.log(
      ` X-Ray           traced functions record here; an order's trace is in the dashboard, or ` +
        `aws xray get-trace-summaries --endpoint-url ${o.emulators['xray']} ...`,
    );
  console.log(
    args.persist
      ? ' State           kept in .local-cloud/state across runs (delete the folder to start afresh)'
      : ' State           fresh at every start (--persist keeps tables, buckets, users, queues and keys)',
  );
  if (inspect && !o.inspect.length) console.warn(` Debugger        no function matches "${inspect}"`);
  for (const d of o.inspect)
    console.log(
      ` Debugger        ${d.function} on ${d.url} (chrome://inspect, or VS Code "attach"; no timeout)`,
    );
  if (o.chaos !== 'none') console.log(` Chaos           ${o.chaos}  (each fault in .local-cloud/chaos.log)`);
  for (const note of app.notes?.(o) ?? []) console.log(` ${note}`);
  if (watching) console.log(` Hot reload      ${watching.summary}`);
  console.log(' Users:');
  for (const [name, u] of Object.entries(o.users)) {
    console.log(`   ${name.padEnd(10)} ${u.username.padEnd(24)} ${u.password}   (${u.groups.join(', ')})`);
  }
  for (const k of o.apiKeys) console.log(` API key ${k.name}: x-api-key ${k.apiKey}`);
  console.log(' Emulators:');
  for (const [name, url] of Object.entries(o.emulators)) console.log(`   ${name.padEnd(10)} ${url}`);
  const missing = Object.entries(o.notEmulated);
  if (missing.length) {
    console.warn(' Not emulated (declared in the templates, no local behaviour):');
    for (const [type, ids] of missing) console.warn(`   ${type}: ${ids.join(', ')}`);
  }
  console.log(` Outputs         .local-cloud/outputs.json\n${line}\n Ctrl-C stops everything.\n`);
}
