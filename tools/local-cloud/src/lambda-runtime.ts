import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Chaos } from './chaos';

export interface FunctionSpec {
  /** Physical name (what ARNs and logs show). */
  name: string;
  /** Short label for logs, e.g. `Orders/PlaceOrder`. */
  label: string;
  codeDir: string;
  handler: string;
  environment: Record<string, string>;
  timeoutMs: number;
  memoryMb: number;
  reservedConcurrency?: number;
  /** A debugger may attach to this function's sandbox on 127.0.0.1:<port>; its timeout is lifted. */
  inspectPort?: number;
}

export interface FunctionStats {
  label: string;
  invocations: number;
  failures: number;
  durationMs: number;
  logBytes: number;
  sqsMessages: number;
  memoryMb: number;
}

export class FunctionError extends Error {
  constructor(
    readonly functionName: string,
    readonly errorType: string,
    message: string,
  ) {
    super(`${functionName}: ${errorType}: ${message}`);
    this.name = 'FunctionError';
  }
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

/** A function's sandbox process, started at the first invocation (a cold start) and kept warm. */
class Sandbox {
  private child?: ChildProcess;
  /** Resolves when the sandbox finished its init phase (module loaded), outside any invocation's timeout. */
  private ready?: Promise<void>;
  private readonly pending = new Map<string, Pending>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  invocations = 0;
  failures = 0;
  /** New code is in place: the next invocation with nothing else in flight starts a fresh sandbox. */
  stale = false;
  /** Time spent in invocations (from the event sent to the answer), in ms: what Lambda would bill. */
  durationMs = 0;
  /** Bytes the function wrote to its log (stdout and stderr): what CloudWatch Logs would ingest. */
  logBytes = 0;
  /** SQS messages delivered to the function. */
  sqsMessages = 0;

  constructor(
    readonly spec: FunctionSpec,
    private readonly log: (line: string) => void,
    private readonly chaos?: Chaos,
  ) {}

  private start(): ChildProcess {
    const child = fork(join(__dirname, 'lambda-worker.cjs'), [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        ...this.spec.environment,
        PATH: process.env['PATH'] ?? '',
        LOCAL_LAMBDA_CODE_DIR: this.spec.codeDir,
        LOCAL_LAMBDA_HANDLER: this.spec.handler,
      },
      execArgv: [
        '--enable-source-maps',
        `--max-old-space-size=${Math.max(128, this.spec.memoryMb)}`,
        ...(this.spec.inspectPort ? [`--inspect=127.0.0.1:${this.spec.inspectPort}`] : []),
      ],
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.logBytes += Buffer.byteLength(line) + 1;
        this.log(line);
      });
    }
    // Lambda gives the init phase its own 10 s, apart from the invocation's timeout; an init error
    // surfaces at the invocation, which loads the module again and reports why it failed.
    this.ready = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      child.on('message', (m: { ready?: boolean }) => {
        if (m.ready !== undefined) done();
      });
      child.on('exit', done);
    });
    child.on(
      'message',
      (m: { id?: string; result?: unknown; error?: { errorType: string; errorMessage: string } }) => {
        if (m.id === undefined) return;
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        clearTimeout(p.timer);
        if (m.error) p.reject(new FunctionError(this.spec.name, m.error.errorType, m.error.errorMessage));
        else p.resolve(m.result);
      },
    );
    // A send to a sandbox that just went away reports through its callback; nothing else to do here.
    child.on('error', (error) => this.log(`sandbox error: ${error.message}`));
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new FunctionError(this.spec.name, 'Runtime.ExitError', 'the sandbox exited'));
        this.pending.delete(id);
      }
    });
    return child;
  }

  async invoke(event: unknown): Promise<unknown> {
    const limit = this.spec.reservedConcurrency ?? 10;
    if (this.running >= limit) await new Promise<void>((r) => this.waiting.push(r));
    this.running += 1;
    this.invocations += 1;
    const records = (event as { Records?: { eventSource?: string }[] } | null)?.Records;
    if (Array.isArray(records))
      this.sqsMessages += records.filter((r) => r?.eventSource === 'aws:sqs').length;
    const started = performance.now();
    try {
      const chaos = this.chaos;
      const what = describeEvent(event);
      if (chaos?.roll(chaos.spec.lambdaError)) {
        chaos.record('lambda-error', this.spec.label, what);
        throw new FunctionError(this.spec.name, 'Chaos.InjectedError', 'fault injected before the handler');
      }
      if (chaos?.roll(chaos.spec.latency.p)) {
        chaos.record('latency', this.spec.label, `${chaos.spec.latency.ms} ms ${what}`);
        await new Promise((r) => setTimeout(r, chaos.spec.latency.ms));
      }
      // The sandbox will die this many milliseconds into the handler (SIGKILL from inside, as an OOM would).
      const crashAfterMs = chaos?.roll(chaos.spec.lambdaCrash) ? chaos.between(1, 60) : undefined;
      if (crashAfterMs !== undefined)
        chaos!.record('lambda-crash', this.spec.label, `after ${crashAfterMs} ms ${what}`);
      if (this.stale && this.pending.size === 0) {
        this.child?.kill('SIGKILL');
        this.child = undefined;
        this.stale = false;
      }
      this.child ??= this.start();
      const child = this.child;
      await this.ready;
      const id = randomUUID();
      // Under a debugger the invocation takes as long as the developer does (the timeout is lifted).
      const timeoutMs = this.spec.inspectPort ? 2 ** 31 - 1 : this.spec.timeoutMs;
      const deadline = Date.now() + timeoutMs;
      return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          // Past its timeout the invocation fails, and the sandbox is replaced as Lambda does.
          this.pending.delete(id);
          reject(
            new FunctionError(
              this.spec.name,
              'Sandbox.Timedout',
              `Task timed out after ${this.spec.timeoutMs / 1000} seconds`,
            ),
          );
          child.kill('SIGKILL');
        }, timeoutMs);
        this.pending.set(id, { resolve, reject, timer });
        const failSend = (error: Error | null) => {
          if (!error || !this.pending.has(id)) return;
          this.pending.delete(id);
          clearTimeout(timer);
          reject(
            new FunctionError(this.spec.name, 'Runtime.ExitError', `the sandbox is gone: ${error.message}`),
          );
        };
        if (!child.connected) return failSend(new Error('channel closed'));
        child.send(
          {
            id,
            event,
            crashAfterMs,
            context: {
              functionName: this.spec.name,
              functionVersion: '$LATEST',
              invokedFunctionArn: this.spec.environment['LOCAL_FUNCTION_ARN'],
              memoryLimitInMB: String(this.spec.memoryMb),
              awsRequestId: id,
              logGroupName: `/aws/lambda/${this.spec.name}`,
              logStreamName: 'local',
              deadline,
            },
          },
          failSend,
        );
      });
    } catch (error) {
      this.failures += 1;
      throw error;
    } finally {
      this.durationMs += performance.now() - started;
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }

  stop(): void {
    this.child?.kill('SIGKILL');
  }
}

/** Runs the template's functions, each in its own sandbox process, honouring timeout and reserved concurrency. */
export class LambdaRuntime {
  private readonly sandboxes = new Map<string, Sandbox>();

  constructor(
    private readonly log: (label: string, line: string) => void,
    private readonly chaos?: Chaos,
  ) {}

  register(spec: FunctionSpec): void {
    this.sandboxes.set(spec.name, new Sandbox(spec, (line) => this.log(spec.label, line), this.chaos));
  }

  /** The functions registered, as specified. */
  functions(): FunctionSpec[] {
    return [...this.sandboxes.values()].map((s) => s.spec);
  }

  /** The function's code changed on disk: its next invocation loads it in a fresh sandbox (a cold start). */
  recycle(name: string): void {
    const sandbox = this.sandboxes.get(name);
    if (sandbox) sandbox.stale = true;
  }

  /** The short label of a function (`Orders/PlaceOrder`), for logs. */
  label(name: string): string {
    return this.sandboxes.get(name)?.spec.label ?? name;
  }

  has(name: string): boolean {
    return this.sandboxes.has(name);
  }

  invoke(name: string, event: unknown): Promise<unknown> {
    const sandbox = this.sandboxes.get(name);
    if (!sandbox) return Promise.reject(new Error(`No function ${name}`));
    return sandbox.invoke(event);
  }

  /** Per function: invocations, failures, time in invocations, log bytes, SQS messages, configured memory. */
  stats(): Record<string, FunctionStats> {
    return Object.fromEntries(
      [...this.sandboxes].map(([n, s]) => [
        n,
        {
          label: s.spec.label,
          invocations: s.invocations,
          failures: s.failures,
          durationMs: s.durationMs,
          logBytes: s.logBytes,
          sqsMessages: s.sqsMessages,
          memoryMb: s.spec.memoryMb,
        },
      ]),
    );
  }

  stop(): void {
    for (const s of this.sandboxes.values()) s.stop();
  }
}

/** What an invocation carries, in a few words, for fault logs: the record ids or the route. */
function describeEvent(event: unknown): string {
  const e = event as {
    Records?: { messageId?: string; eventID?: string; dynamodb?: { Keys?: { pk?: { S?: string } } } }[];
    httpMethod?: string;
    path?: string;
  };
  if (Array.isArray(e?.Records)) {
    const ids = e.Records.map((r) => r.messageId ?? r.dynamodb?.Keys?.pk?.S ?? r.eventID ?? '?');
    return `records ${ids.slice(0, 5).join(' ')}${ids.length > 5 ? ` (+${ids.length - 5})` : ''}`;
  }
  if (e?.httpMethod) return `${e.httpMethod} ${e.path}`;
  return '';
}
