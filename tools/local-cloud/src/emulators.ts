import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EMULATORS = ['dynamodb', 'sqs', 's3', 'ses', 'cognito', 'kinesis'] as const;
/** Started only when asked for: MariaDB (the legacy database of seed 004), from the system's packages. */
export const OPTIONAL_EMULATORS = ['mysql'] as const;
export type EmulatorName = (typeof EMULATORS)[number] | (typeof OPTIONAL_EMULATORS)[number];

export interface Emulators {
  /** Endpoint URL per emulator, e.g. `{ dynamodb: 'http://127.0.0.1:8000', ... }`. */
  endpoints: Record<EmulatorName, string>;
  /** What an emulator reported about itself (MariaDB: its user, password and database). */
  info: Partial<Record<EmulatorName, Record<string, unknown>>>;
  stop(): Promise<void>;
}

export class LocalCloudError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalCloudError';
  }
}

const HOST = '127.0.0.1';

/**
 * Where free ports are looked for: below the kernel's ephemeral range, so the outgoing connections of
 * everything running here (which take their local ports from that range) cannot take a port between its
 * claim and its server's listen — that race made a restart fail now and then with EADDRINUSE.
 */
function claimRange(): [number, number] | undefined {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    return low && low > 12000 ? [10000, low - 1] : undefined;
  } catch {
    return undefined;
  }
}
const RANGE = claimRange();
/** Ports this process handed out: not handed out twice before their servers listen. */
const handedOut = new Set<number>();

/**
 * A free loopback port (below the ephemeral range where the system has one), or the given one after
 * checking nothing listens there.
 */
export async function claimPort(port = 0, what = 'a server'): Promise<number> {
  if (port === 0 && RANGE) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const candidate = RANGE[0] + Math.floor(Math.random() * (RANGE[1] - RANGE[0] + 1));
      if (handedOut.has(candidate)) continue;
      const free = await tryPort(candidate);
      if (free) {
        handedOut.add(candidate);
        return candidate;
      }
    }
  }
  return bindOnce(port, what);
}

function tryPort(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

function bindOnce(port: number, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new LocalCloudError(
              `Port ${port} (${what}) is already in use: stop what holds it or choose another port.`,
            )
          : error,
      ),
    );
    server.listen(port, HOST, () => {
      const { port: claimed } = server.address() as net.AddressInfo;
      server.close(() => resolve(claimed));
    });
  });
}

/** Fails with one clear sentence when Java 17+ (needed by DynamoDB Local) is missing. */
export function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error)
    throw new LocalCloudError('Java 17+ is required by DynamoDB Local and was not found on the PATH.');
  const match = /version "(\d+)/.exec(`${result.stdout}${result.stderr}`);
  if (match && Number(match[1]) < 17) {
    throw new LocalCloudError(`Java 17+ is required by DynamoDB Local; found Java ${match[1]}.`);
  }
}

/** Emulators whose data can outlive a run (`--persist`): tables, buckets, users. Queues are saved apart. */
const PERSISTENT: readonly EmulatorName[] = ['dynamodb', 's3', 'cognito', 'mysql'];

/** Whether MariaDB (or MySQL) is installed: the legacy database of seed 004 runs on it. */
export function hasMariaDb(): boolean {
  const dirs = [...(process.env['PATH'] ?? '').split(':'), '/usr/sbin', '/usr/bin', '/usr/local/bin'];
  return dirs.some((dir) => dir && ['mariadbd', 'mysqld'].some((name) => existsSync(join(dir, name))));
}

/**
 * Starts every emulator as a child process on 127.0.0.1, in parallel, each on the port asked for (0 picks
 * a free one). A failure stops the ones already started and raises a LocalCloudError naming the emulator.
 * With `stateDir`, DynamoDB, S3 and Cognito keep their data there (one folder each) across runs; without
 * it every run starts empty and leaves nothing behind.
 */
export async function startEmulators(
  ports: Partial<Record<EmulatorName, number>> = {},
  only: readonly EmulatorName[] = EMULATORS,
  stateDir?: string,
): Promise<Emulators> {
  if (only.includes('dynamodb')) checkJava();
  const dataRoot = mkdtempSync(join(tmpdir(), 'local-cloud-'));
  const children: ChildProcess[] = [];
  const info: Emulators['info'] = {};
  const chosen = {} as Record<EmulatorName, number>;
  for (const name of only) chosen[name] = await claimPort(ports[name] ?? 0, `the ${name} emulator`);

  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dataRoot, { recursive: true, force: true });
  };

  try {
    await Promise.all(
      only.map(async (name) => {
        const persistent = stateDir !== undefined && PERSISTENT.includes(name);
        const dataDir = persistent ? join(stateDir, name) : mkdtempSync(join(dataRoot, `${name}-`));
        if (persistent) mkdirSync(dataDir, { recursive: true });
        const args = [name, String(chosen[name]), dataDir, persistent ? 'persist' : 'fresh'];
        const child = fork(join(__dirname, 'emulator-host.cjs'), args, {
          stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
          // Plain Node: the host is CommonJS and needs none of the TypeScript loader the parent may run with.
          execArgv: [],
          env: { ...process.env, NODE_NO_WARNINGS: '1' },
        });
        children.push(child);
        let stderr = '';
        child.stderr?.on('data', (d) => (stderr += d));
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new LocalCloudError(`The ${name} emulator did not start within 60 s.`)),
            60000,
          );
          child.on(
            'message',
            (m: { ready?: boolean; error?: string; warning?: string; info?: Record<string, unknown> }) => {
              if (m.warning) return void console.warn(`Warning: ${m.warning}`);
              if (m.info) return void (info[name] = m.info);
              clearTimeout(timer);
              if (m.ready) resolve();
              else reject(new LocalCloudError(`The ${name} emulator failed to start: ${m.error}`));
            },
          );
          child.once('exit', (code) => {
            clearTimeout(timer);
            reject(
              new LocalCloudError(
                `The ${name} emulator exited (${code}) while starting: ${stderr.trim().slice(-300)}`,
              ),
            );
          });
        });
        child.removeAllListeners('exit');
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }

  const endpoints = Object.fromEntries(only.map((n) => [n, `http://${HOST}:${chosen[n]}`])) as Record<
    EmulatorName,
    string
  >;
  return { endpoints, info, stop };
}
