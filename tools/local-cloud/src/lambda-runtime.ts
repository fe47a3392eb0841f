import { fork, type ChildProcess } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Chaos } from './chaos';
import { formatTraceHeader, newSegmentId, newTraceId, parseTraceHeader, type SegmentDocument } from './xray';

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
  /** `TracingConfig.Mode`: `Active` records the invocation's segments; `PassThrough` only passes the header on. */
  tracing?: 'Active' | 'PassThrough';
  /**
   * Invoked by event sources only: its sandboxes run at a lower scheduling priority, so on a laptop's few
   * cores a request someone waits on (an API call, a WebSocket message) is served before the pipeline's
   * next record, as in AWS, where no function shares another's CPU.
   */
  background?: boolean;
  /**
   * A background function whose every event source gathers records over a batching window
   * (`MaximumBatchingWindowInSeconds` > 0): it has said it is in no hurry, so its sandboxes run at a lower
   * priority still, and its SQS event sources hold a received batch while other functions are busy
   * (`yieldToUrgent`): on a saturated laptop the records an order waits on go first.
   */
  deferrable?: boolean;
}

/** What an invocation is told about the trace it belongs to (the upstream caller's `X-Amzn-Trace-Id`). */
export interface InvokeOptions {
  traceHeader?: string;
}

export interface FunctionStats {
  label: string;
  invocations: number;
  failures: number;
  durationMs: number;
  logBytes: number;
  sqsMessages: number;
  /** Invocations with SQS messages: the batches Lambda received (and deleted) together. */
  sqsBatches: number;
  memoryMb: number;
  /** Execution environments started (cold starts). */
  coldStarts: number;
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

/** One execution environment: a process that loads the function once and runs one invocation at a time. */
interface Environment {
  child: ChildProcess;
  /** Resolves when its init phase (module load) is over, outside any invocation's timeout. */
  ready: Promise<void>;
  pending: Map<string, Pending>;
  busy: boolean;
  /** Started before the function's code last changed: not reused. */
  stale: boolean;
}

/**
 * Environments a function may have at once when it declares no reserved concurrency (a local cap; AWS would
 * scale on). A sandbox holds ~78 MiB. 1,000 orders from 32 clients on two cores: accepted at 55–62 orders/s
 * with four (`POST /orders` p50 0.49–0.57 s), 69–72 with eight, 78–87 with twelve; eight keeps a function
 * under ~0.6 GiB when a laptop's load tool opens dozens of connections.
 */
export const DEFAULT_LOCAL_CONCURRENCY = 8;

/**
 * Environments a background function (fed by event sources only) may have at once when it declares no
 * reserved concurrency: two still run side by side (the races between deliveries stay as real as in
 * AWS), and on a laptop's few cores fewer processes do more. 600 orders at once on two cores, four per
 * function → two: 11.8 → 14.2 orders/s end to end, 165 → 138 ms of CPU per order (fewer cold starts,
 * each ~0.25 s of CPU; fuller batches; less contention in DynamoDB Local).
 */
export const BACKGROUND_LOCAL_CONCURRENCY = 2;

/** How much nicer a background function's sandboxes run than the local cloud (19 is the lowest priority). */
export const BACKGROUND_NICENESS = 10;

/**
 * How much nicer a deferrable function's sandboxes run than the local cloud. At a steady 10 orders/s on two
 * cores (both saturated), with the dashboard's, the mails' and the invoices' consumers at 15 instead of 10,
 * an order went from RECEIVED to COMPLETED in 0.75–0.82 s (p50, three runs) instead of 1.1–1.7 s.
 */
export const DEFERRABLE_NICENESS = 15;

/** How long the functions an order waits on must have been idle before a deferrable batch runs. */
export const URGENT_QUIET_MS = 50;

/**
 * How long at most a deferrable function's batch, once received, waits for the functions an order waits on
 * to be idle (`LambdaRuntime.yieldToUrgent`); never so long that the batch's messages could come back to the
 * queue before the function has run (`deferralFor`).
 */
export const DEFERRAL_MS = 30_000;

/**
 * A function's execution environments, as Lambda keeps them: each concurrent invocation runs in its own
 * process (module state is never shared between concurrent requests, and a timeout or a crash ends only
 * its own invocation); a finished environment is kept warm and reused; beyond the function's reserved
 * concurrency (or the local cap) invocations wait for one to be free.
 */
class Sandbox {
  private readonly environments = new Set<Environment>();
  private readonly waiting: (() => void)[] = [];
  invocations = 0;
  failures = 0;
  /** Time spent in invocations (from the event sent to the answer), in ms: what Lambda would bill. */
  durationMs = 0;
  /** Bytes the function wrote to its log (stdout and stderr): what CloudWatch Logs would ingest. */
  logBytes = 0;
  /** SQS messages delivered to the function. */
  sqsMessages = 0;
  sqsBatches = 0;
  /** Execution environments started (cold starts). */
  coldStarts = 0;

  constructor(
    readonly spec: FunctionSpec,
    private readonly log: (line: string) => void,
    private readonly chaos?: Chaos,
    private readonly record?: (doc: SegmentDocument) => void,
  ) {}

  private get limit(): number {
    // A debugger attaches to one process: the inspected function runs one invocation at a time.
    if (this.spec.inspectPort) return 1;
    return (
      this.spec.reservedConcurrency ??
      (this.spec.background ? BACKGROUND_LOCAL_CONCURRENCY : DEFAULT_LOCAL_CONCURRENCY)
    );
  }

  private start(): Environment {
    this.coldStarts += 1;
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
    if (this.spec.background && child.pid !== undefined) {
      try {
        // Relative to the local cloud's own (a sandbox inherits it): a cloud already niced keeps its order.
        setPriority(
          child.pid,
          Math.min(19, getPriority() + (this.spec.deferrable ? DEFERRABLE_NICENESS : BACKGROUND_NICENESS)),
        );
      } catch {
        // Not allowed here (some containers): the sandbox runs at normal priority.
      }
    }
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.logBytes += Buffer.byteLength(line) + 1;
        this.log(line);
      });
    }
    const pending = new Map<string, Pending>();
    // Lambda gives the init phase its own 10 s, apart from the invocation's timeout; an init error
    // surfaces at the invocation, which loads the module again and reports why it failed.
    const ready = new Promise<void>((resolve) => {
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
    const environment: Environment = { child, ready, pending, busy: false, stale: false };
    child.on(
      'message',
      (m: { id?: string; result?: unknown; error?: { errorType: string; errorMessage: string } }) => {
        if (m.id === undefined) return;
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        clearTimeout(p.timer);
        if (m.error) p.reject(new FunctionError(this.spec.name, m.error.errorType, m.error.errorMessage));
        else p.resolve(m.result);
      },
    );
    // A send to a sandbox that just went away reports through its callback; nothing else to do here.
    child.on('error', (error) => this.log(`sandbox error: ${error.message}`));
    child.on('exit', () => {
      this.environments.delete(environment);
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        p.reject(new FunctionError(this.spec.name, 'Runtime.ExitError', 'the sandbox exited'));
        pending.delete(id);
      }
      this.waiting.shift()?.();
    });
    this.environments.add(environment);
    return environment;
  }

  /** A free warm environment, a new one within the limit, or (beyond it) the next one to be released. */
  private async acquire(): Promise<Environment> {
    for (;;) {
      // Stopped: no new process may start (a late $disconnect or delivery would outlive the cloud).
      if (this.stopped)
        throw new FunctionError(this.spec.name, 'Runtime.Stopped', 'the local cloud is stopping');
      const warm = [...this.environments].find((e) => !e.busy && !e.stale);
      if (warm) {
        warm.busy = true;
        return warm;
      }
      if (this.environments.size < this.limit) {
        const fresh = this.start();
        fresh.busy = true;
        return fresh;
      }
      // A stale idle environment makes room for a fresh one.
      const idleStale = [...this.environments].find((e) => !e.busy && e.stale);
      if (idleStale) {
        this.environments.delete(idleStale);
        idleStale.child.kill('SIGKILL');
        continue;
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  private release(environment: Environment): void {
    environment.busy = false;
    if (environment.stale && this.environments.has(environment)) {
      this.environments.delete(environment);
      environment.child.kill('SIGKILL');
    }
    this.waiting.shift()?.();
  }

  /** The code changed: idle environments go now, busy ones after their invocation. */
  recycle(): void {
    for (const e of this.environments) {
      e.stale = true;
      if (!e.busy) {
        this.environments.delete(e);
        e.child.kill('SIGKILL');
      }
    }
  }

  /**
   * The trace an invocation runs in, as Lambda decides it: with active tracing, the upstream header's trace
   * (or a new one) with two segments of its own (the Lambda service's and the function's, whose id the
   * function sees as its parent); otherwise the upstream header passed on, or a new unsampled one.
   */
  private traceOf(options: InvokeOptions): {
    header: string;
    finish?: (failure: FunctionError | undefined, started: number, functionStarted: number) => void;
  } {
    const upstream = parseTraceHeader(options.traceHeader);
    if (this.spec.tracing !== 'Active' || !this.record || (upstream && !upstream.sampled))
      return { header: formatTraceHeader(upstream ?? { root: newTraceId(), sampled: false }) };
    const root = upstream?.root ?? newTraceId();
    const serviceId = newSegmentId();
    const functionId = newSegmentId();
    const record = this.record;
    const spec = this.spec;
    return {
      header: formatTraceHeader({ root, parent: functionId, sampled: true }),
      finish: (failure, started, functionStarted) => {
        const end = Date.now() / 1000;
        const outcome = failure
          ? {
              fault: true,
              cause: {
                exceptions: [{ id: newSegmentId(), type: failure.errorType, message: failure.message }],
              },
            }
          : {};
        record({
          name: spec.name,
          id: serviceId,
          trace_id: root,
          ...(upstream?.parent ? { parent_id: upstream.parent } : {}),
          start_time: started / 1000,
          end_time: end,
          origin: 'AWS::Lambda',
          aws: { function_arn: spec.environment['LOCAL_FUNCTION_ARN'], resource_names: [spec.name] },
          http: { response: { status: 200 } },
          ...(failure ? { error: true } : {}),
        });
        record({
          name: spec.name,
          id: functionId,
          trace_id: root,
          parent_id: serviceId,
          start_time: functionStarted / 1000,
          end_time: end,
          origin: 'AWS::Lambda::Function',
          aws: { function_arn: spec.environment['LOCAL_FUNCTION_ARN'], resource_names: [spec.name] },
          annotations: { local_label: spec.label },
          ...outcome,
        });
      },
    };
  }

  async invoke(event: unknown, options: InvokeOptions = {}): Promise<unknown> {
    this.invocations += 1;
    const trace = this.traceOf(options);
    const startedAt = Date.now();
    let functionStartedAt = startedAt;
    let failure: FunctionError | undefined;
    const records = (event as { Records?: { eventSource?: string }[] } | null)?.Records;
    const fromSqs = Array.isArray(records) ? records.filter((r) => r?.eventSource === 'aws:sqs').length : 0;
    this.sqsMessages += fromSqs;
    if (fromSqs) this.sqsBatches += 1;
    // Billed from the moment an environment takes the invocation (not while it waits for one) to the answer.
    let started: number | undefined;
    let environment: Environment | undefined;
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
      environment = await this.acquire();
      const { child, pending } = environment;
      await environment.ready;
      functionStartedAt = Date.now();
      started = performance.now();
      const id = randomUUID();
      // Under a debugger the invocation takes as long as the developer does (the timeout is lifted).
      const timeoutMs = this.spec.inspectPort ? 2 ** 31 - 1 : this.spec.timeoutMs;
      const deadline = Date.now() + timeoutMs;
      return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          // Past its timeout the invocation fails, and its environment is replaced as Lambda does.
          pending.delete(id);
          reject(
            new FunctionError(
              this.spec.name,
              'Sandbox.Timedout',
              `Task timed out after ${this.spec.timeoutMs / 1000} seconds`,
            ),
          );
          child.kill('SIGKILL');
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        const failSend = (error: Error | null) => {
          if (!error || !pending.has(id)) return;
          pending.delete(id);
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
            traceHeader: trace.header,
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
      failure =
        error instanceof FunctionError
          ? error
          : new FunctionError(this.spec.name, 'Error', (error as Error).message);
      throw error;
    } finally {
      if (started !== undefined) this.durationMs += performance.now() - started;
      if (environment) this.release(environment);
      trace.finish?.(failure, startedAt, functionStartedAt);
    }
  }

  private stopped = false;

  stop(): void {
    this.stopped = true;
    for (const e of this.environments) e.child.kill('SIGKILL');
    this.environments.clear();
    for (const wake of this.waiting.splice(0)) wake();
  }
}

/** Runs the template's functions, each in its own sandbox process, honouring timeout and reserved concurrency. */
export class LambdaRuntime {
  private readonly sandboxes = new Map<string, Sandbox>();
  /** Invocations in flight (waiting for an environment included) of functions that are not deferrable. */
  private urgentInFlight = 0;
  private urgentEndedAt = 0;

  /**
   * @param record where the segments of functions with active tracing go (the local X-Ray); without it
   * nothing is recorded and trace headers are only passed on.
   */
  constructor(
    private readonly log: (label: string, line: string) => void,
    private readonly chaos?: Chaos,
    private readonly record?: (doc: SegmentDocument) => void,
  ) {}

  register(spec: FunctionSpec): void {
    this.sandboxes.set(
      spec.name,
      new Sandbox(spec, (line) => this.log(spec.label, line), this.chaos, this.record),
    );
  }

  /** The functions registered, as specified. */
  functions(): FunctionSpec[] {
    return [...this.sandboxes.values()].map((s) => s.spec);
  }

  /** The function's code changed on disk: its next invocation loads it in a fresh sandbox (a cold start). */
  recycle(name: string): void {
    this.sandboxes.get(name)?.recycle();
  }

  /** The short label of a function (`Orders/PlaceOrder`), for logs. */
  label(name: string): string {
    return this.sandboxes.get(name)?.spec.label ?? name;
  }

  has(name: string): boolean {
    return this.sandboxes.has(name);
  }

  invoke(name: string, event: unknown, options?: InvokeOptions): Promise<unknown> {
    const sandbox = this.sandboxes.get(name);
    if (!sandbox) return Promise.reject(new Error(`No function ${name}`));
    if (sandbox.spec.deferrable) return sandbox.invoke(event, options);
    this.urgentInFlight += 1;
    return sandbox.invoke(event, options).finally(() => {
      this.urgentInFlight -= 1;
      this.urgentEndedAt = Date.now();
    });
  }

  /**
   * Resolves once no function but the deferrable ones has had an invocation in flight for
   * `URGENT_QUIET_MS`, or after `maxMs`, whichever comes first: a deferrable function's event source waits
   * here with a batch in hand, so on a saturated laptop the records an order waits on go first (see
   * `DEFERRAL_MS`).
   */
  async yieldToUrgent(maxMs: number): Promise<void> {
    const until = Date.now() + maxMs;
    for (;;) {
      const now = Date.now();
      if (now >= until) return;
      const quietFor = this.urgentInFlight === 0 ? now - this.urgentEndedAt : 0;
      if (quietFor >= URGENT_QUIET_MS) return;
      await new Promise((r) => setTimeout(r, Math.min(URGENT_QUIET_MS - quietFor, until - now)));
    }
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
          sqsBatches: s.sqsBatches,
          memoryMb: s.spec.memoryMb,
          coldStarts: s.coldStarts,
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
