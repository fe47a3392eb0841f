import { appendFileSync } from 'node:fs';
import type http from 'node:http';
import { callerOf, startProxy } from './proxy';
import { LocalCloudError } from './emulators';

/**
 * Faults the local cloud injects at the seams it owns, the way AWS FIS does for Lambda: the sandboxes
 * (errors before the handler, crashes during it, latency), the event sources (duplicate deliveries) and the
 * emulators' APIs as the functions reach them (SES and DynamoDB answering as the real services do when
 * they throttle or fail). No handler knows about it.
 */
export interface ChaosSpec {
  /** Fraction of invocations that fail before the handler runs. */
  lambdaError: number;
  /** Fraction of invocations whose sandbox dies while the handler runs. */
  lambdaCrash: number;
  /** Fraction of invocations delayed, and by how much. */
  latency: { p: number; ms: number };
  /** Fraction of SQS messages and stream records delivered twice. */
  duplicate: number;
  /** Fraction of the functions' SES calls that fail (throttling or 5xx). */
  sesError: number;
  /** Fraction of the functions' DynamoDB calls that fail (throttling or 5xx); the SDK retries them. */
  dynamodbThrottle: number;
}

/** The spec `npm run chaos` starts the platform with: every fault at a rate that shows. */
export const DEFAULT_CHAOS =
  'lambda-error=0.05,lambda-crash=0.02,latency=0.1:250,duplicate=0.1,ses-error=0.1,dynamodb-throttle=0.05';

const KEYS = {
  'lambda-error': 'lambdaError',
  'lambda-crash': 'lambdaCrash',
  duplicate: 'duplicate',
  'ses-error': 'sesError',
  'dynamodb-throttle': 'dynamodbThrottle',
} as const;

/** Parses `lambda-error=0.1,latency=0.2:300,...`; a wrong entry is refused with what it should look like. */
export function parseChaosSpec(text: string): ChaosSpec {
  const spec: ChaosSpec = {
    lambdaError: 0,
    lambdaCrash: 0,
    latency: { p: 0, ms: 0 },
    duplicate: 0,
    sesError: 0,
    dynamodbThrottle: 0,
  };
  const fraction = (name: string, value: string) => {
    const p = Number(value);
    if (!value || !Number.isFinite(p) || p < 0 || p > 1)
      throw new LocalCloudError(`--chaos ${name}=${value}: a fraction between 0 and 1 is expected`);
    return p;
  };
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [name, value = ''] = entry.split('=');
    if (name === 'latency') {
      const [p = '', ms = ''] = value.split(':');
      const delay = Number(ms);
      if (!Number.isInteger(delay) || delay < 1 || delay > 60_000)
        throw new LocalCloudError(`--chaos latency=${value}: use latency=<fraction>:<milliseconds>`);
      spec.latency = { p: fraction(name, p), ms: delay };
    } else if (name && name in KEYS) {
      spec[KEYS[name as keyof typeof KEYS]] = fraction(name, value);
    } else {
      throw new LocalCloudError(
        `--chaos: unknown fault "${name}" (known: ${[...Object.keys(KEYS), 'latency'].join(', ')})`,
      );
    }
  }
  return spec;
}

export function describeChaos(spec: ChaosSpec): string {
  const parts = Object.entries(KEYS)
    .filter(([, key]) => spec[key] > 0)
    .map(([name, key]) => `${name}=${spec[key]}`);
  if (spec.latency.p > 0) parts.push(`latency=${spec.latency.p}:${spec.latency.ms}ms`);
  return parts.join(', ') || 'none';
}

export type FaultKind = keyof typeof KEYS | 'latency';

/** Decides, logs and counts each fault. `logFile`, when given, receives one line per injected fault. */
export class Chaos {
  readonly counts: Record<FaultKind, number> = {
    'lambda-error': 0,
    'lambda-crash': 0,
    latency: 0,
    duplicate: 0,
    'ses-error': 0,
    'dynamodb-throttle': 0,
  };
  private readonly servers: http.Server[] = [];

  constructor(
    readonly spec: ChaosSpec,
    private readonly log: (line: string) => void = () => undefined,
    private readonly logFile?: string,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Runs `work` with every fault off (the seed's demo data goes in as an operator would put it, not under
   * faults), then turns them back on as they were.
   */
  async quiet<T>(work: () => Promise<T>): Promise<T> {
    const saved = structuredClone(this.spec);
    Object.assign(this.spec, {
      lambdaError: 0,
      lambdaCrash: 0,
      duplicate: 0,
      sesError: 0,
      dynamodbThrottle: 0,
    });
    this.spec.latency = { p: 0, ms: 0 };
    try {
      return await work();
    } finally {
      Object.assign(this.spec, saved);
    }
  }

  /** True with probability `p`. */
  roll(p: number): boolean {
    return p > 0 && this.random() < p;
  }

  /** Picks a number in [min, max]. */
  between(min: number, max: number): number {
    return Math.round(min + this.random() * (max - min));
  }

  record(kind: FaultKind, fn: string, detail: string): void {
    this.counts[kind] += 1;
    const line = `${new Date().toISOString()} ${kind} ${fn} ${detail}`;
    this.log(line);
    if (this.logFile) appendFileSync(this.logFile, `${line}\n`);
  }

  /**
   * A proxy in front of an emulator that fails a fraction of the calls as the real service fails: DynamoDB
   * with ThrottlingException (400) or InternalServerError (500), SES with Throttling (400) or
   * ServiceUnavailable (503). The calling function is read from the SDK's user agent (`app/<name>`).
   */
  async proxy(service: 'dynamodb' | 'ses', target: string): Promise<string> {
    const p = () => (service === 'dynamodb' ? this.spec.dynamodbThrottle : this.spec.sesError);
    const { server, url } = await startProxy(target, (req, body, res) => {
      if (!this.roll(p())) return false;
      this.fail(service, req, body, res);
      return true;
    });
    this.servers.push(server);
    return url;
  }

  private fail(
    service: 'dynamodb' | 'ses',
    req: http.IncomingMessage,
    body: Buffer,
    res: http.ServerResponse,
  ): void {
    const fn = callerOf(req);
    const throttle = this.random() < 0.7;
    if (service === 'dynamodb') {
      const operation = String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop();
      const table = /"TableName":"([^"]+)"/.exec(body.toString('utf8'))?.[1] ?? '';
      this.record(
        'dynamodb-throttle',
        fn,
        `${operation} ${table} → ${throttle ? 'ThrottlingException' : 'InternalServerError'}`,
      );
      const type = throttle
        ? 'com.amazon.coral.availability#ThrottlingException'
        : 'com.amazonaws.dynamodb.v20120810#InternalServerError';
      res.writeHead(throttle ? 400 : 500, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-errortype': type.split('#')[1]!,
      });
      res.end(
        JSON.stringify({
          __type: type,
          message: throttle ? 'Rate of requests exceeds the allowed throughput.' : 'Internal server error',
        }),
      );
      return;
    }
    const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? req.url ?? '';
    const to = new URLSearchParams(body.toString('utf8')).get('Destination.ToAddresses.member.1') ?? '';
    this.record('ses-error', fn, `${action} ${to} → ${throttle ? 'Throttling' : 'ServiceUnavailable'}`);
    res.writeHead(throttle ? 400 : 503, { 'content-type': 'text/xml' });
    res.end(
      `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${throttle ? 'Sender' : 'Receiver'}</Type>` +
        `<Code>${throttle ? 'Throttling' : 'ServiceUnavailable'}</Code><Message>${throttle ? 'Maximum sending rate exceeded.' : 'Service unavailable'}</Message></Error>` +
        `<RequestId>chaos</RequestId></ErrorResponse>`,
    );
  }

  stop(): void {
    for (const server of this.servers) {
      server.closeAllConnections();
      server.close();
    }
  }
}
