import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An X-Ray segment or subsegment document, as the daemon receives it and `BatchGetTraces` returns it. */
export interface SegmentDocument {
  id: string;
  trace_id: string;
  name: string;
  parent_id?: string;
  type?: 'subsegment';
  start_time: number;
  end_time?: number;
  in_progress?: boolean;
  origin?: string;
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  http?: { request?: Record<string, unknown>; response?: { status?: number } };
  aws?: Record<string, unknown>;
  annotations?: Record<string, string | number | boolean>;
  metadata?: Record<string, unknown>;
  cause?: unknown;
  subsegments?: SegmentDocument[];
  [key: string]: unknown;
}

/** The parts of an `X-Amzn-Trace-Id` header (`Root=1-…;Parent=…;Sampled=1`). */
export interface TraceHeader {
  root: string;
  parent?: string;
  sampled: boolean;
}

/** A new trace id: `1-` + the epoch seconds in hex + 96 random bits, as X-Ray makes them. */
export function newTraceId(now = Date.now()): string {
  return `1-${Math.floor(now / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

/** A new segment id: 64 random bits in hex. */
export function newSegmentId(): string {
  return randomBytes(8).toString('hex');
}

/** The header's parts; undefined when it names no valid root. */
export function parseTraceHeader(value: string | undefined | null): TraceHeader | undefined {
  if (!value) return undefined;
  const parts = Object.fromEntries(
    value.split(';').map((p) => {
      const eq = p.indexOf('=');
      return [p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim()];
    }),
  );
  const root = parts['root'];
  if (!root || !/^1-[0-9a-f]{8}-[0-9a-f]{24}$/.test(root)) return undefined;
  const parent = /^[0-9a-f]{16}$/.test(parts['parent'] ?? '') ? parts['parent'] : undefined;
  return { root, parent, sampled: parts['sampled'] !== '0' };
}

export function formatTraceHeader(h: TraceHeader): string {
  return `Root=${h.root}${h.parent ? `;Parent=${h.parent}` : ''};Sampled=${h.sampled ? 1 : 0}`;
}

interface StoredTrace {
  /** Top-level segments by id (a later document with the same id replaces an in-progress one). */
  segments: Map<string, SegmentDocument>;
  /** Subsegments sent on their own (as the SDK does in Lambda), merged into their parent when read. */
  loose: SegmentDocument[];
  firstSeen: number;
}

/** Traces and documents kept at most (a long run stays within ~100 MB); the oldest traces go first. */
const MAX_TRACES = 20_000;
const MAX_DOCUMENTS = 100_000;

const HEADER = '{"format": "json", "version": 1}';

/**
 * The local X-Ray: a collector on the daemon's UDP protocol (what the SDK in a function sends to
 * `AWS_XRAY_DAEMON_ADDRESS`) and the X-Ray API's read side (`GetTraceSummaries`, `BatchGetTraces`) and
 * `PutTraceSegments`, for the SDK and the AWS CLI.
 */
export class LocalXRay {
  private readonly traces = new Map<string, StoredTrace>();
  private documents = 0;
  private socket?: dgram.Socket;
  private server?: http.Server;
  daemonAddress = '';
  endpoint = '';

  /**
   * @param authorize checks an API call (the local IAM); returns a denial message, or undefined to go on.
   */
  constructor(
    private readonly authorize?: (req: http.IncomingMessage, action: string) => string | undefined,
  ) {}

  async start(): Promise<this> {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (packet) => this.receive(packet));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    this.socket = socket;
    this.daemonAddress = `127.0.0.1:${socket.address().port}`;
    const server = http.createServer((req, res) => this.serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): void {
    this.socket?.close();
    this.server?.closeAllConnections();
    this.server?.close();
  }

  /** One daemon packet: the JSON header line, then one segment or subsegment document. */
  receive(packet: Buffer): void {
    const text = packet.toString('utf8');
    const newline = text.indexOf('\n');
    if (newline < 0) return;
    try {
      this.put(JSON.parse(text.slice(newline + 1)) as SegmentDocument);
    } catch {
      // A malformed packet is dropped, as the daemon drops it.
    }
  }

  /** Records one document (a segment, or a subsegment sent on its own). */
  put(doc: SegmentDocument): void {
    if (!doc || typeof doc.id !== 'string' || typeof doc.trace_id !== 'string') return;
    let trace = this.traces.get(doc.trace_id);
    if (!trace) {
      trace = { segments: new Map(), loose: [], firstSeen: Date.now() };
      this.traces.set(doc.trace_id, trace);
    }
    const before = trace.segments.size + trace.loose.length;
    if (doc.type === 'subsegment') {
      trace.loose = trace.loose.filter((s) => s.id !== doc.id);
      trace.loose.push(doc);
    } else trace.segments.set(doc.id, doc);
    this.documents += trace.segments.size + trace.loose.length - before;
    while (this.traces.size > 1 && (this.traces.size > MAX_TRACES || this.documents > MAX_DOCUMENTS)) {
      const [oldestId, oldest] = this.traces.entries().next().value!;
      this.documents -= oldest.segments.size + oldest.loose.length;
      this.traces.delete(oldestId);
    }
  }

  /** A trace's segments, each with the subsegments sent on their own placed under their parent. */
  segments(traceId: string): SegmentDocument[] {
    const trace = this.traces.get(traceId);
    if (!trace) return [];
    const segments = [...trace.segments.values()].map((s) => structuredClone(s));
    const byId = new Map<string, SegmentDocument>();
    const index = (doc: SegmentDocument) => {
      byId.set(doc.id, doc);
      for (const sub of doc.subsegments ?? []) index(sub);
    };
    segments.forEach(index);
    const loose = trace.loose.map((s) => structuredClone(s));
    loose.forEach(index);
    const orphans: SegmentDocument[] = [];
    for (const sub of loose) {
      const parent = sub.parent_id ? byId.get(sub.parent_id) : undefined;
      const { type: _type, trace_id: _trace, parent_id: _parent, ...rest } = sub;
      if (parent && parent !== sub) {
        parent.subsegments = [
          ...(parent.subsegments ?? []).filter((s) => s.id !== sub.id),
          rest as SegmentDocument,
        ];
        byId.set(sub.id, rest as SegmentDocument);
      } else orphans.push(sub);
    }
    // A subsegment whose segment never arrived stays visible rather than lost.
    return [...segments, ...orphans];
  }

  /** Ids of the traces recorded, oldest first. */
  traceIds(): string[] {
    return [...this.traces.keys()];
  }

  summary(traceId: string): TraceSummary | undefined {
    const segments = this.segments(traceId);
    if (!segments.length) return undefined;
    const all: SegmentDocument[] = [];
    const walk = (d: SegmentDocument) => {
      all.push(d);
      for (const s of d.subsegments ?? []) walk(s);
    };
    segments.forEach(walk);
    const start = Math.min(...all.map((d) => d.start_time));
    const end = Math.max(...all.map((d) => d.end_time ?? d.start_time));
    const annotations: Record<string, { AnnotationValue: Record<string, unknown> }[]> = {};
    for (const d of all)
      for (const [k, v] of Object.entries(d.annotations ?? {})) {
        const value =
          typeof v === 'number'
            ? { NumberValue: v }
            : typeof v === 'boolean'
              ? { BooleanValue: v }
              : { StringValue: String(v) };
        const list = (annotations[k] ??= []);
        if (!list.some((a) => JSON.stringify(a.AnnotationValue) === JSON.stringify(value)))
          list.push({ AnnotationValue: value });
      }
    const root = segments.find((s) => !s.parent_id) ?? segments[0]!;
    const services = new Map<string, string>();
    for (const s of segments) services.set(s.name, s.origin ?? 'AWS::Service');
    return {
      Id: traceId,
      StartTime: start,
      Duration: round(end - start),
      ResponseTime: round((root.end_time ?? root.start_time) - root.start_time),
      HasFault: all.some((d) => d.fault === true),
      HasError: all.some((d) => d.error === true),
      HasThrottle: all.some((d) => d.throttle === true),
      IsPartial: all.some((d) => d.in_progress === true),
      Http: root.http?.request
        ? {
            HttpURL: root.http.request['url'],
            HttpMethod: root.http.request['method'],
            HttpStatus: root.http.response?.status,
          }
        : undefined,
      Annotations: annotations,
      ServiceIds: [...services].map(([Name, Type]) => ({ Name, Names: [Name], Type })),
      EntryPoint: { Name: root.name, Names: [root.name], Type: root.origin ?? 'AWS::Service' },
    };
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const fail = (status: number, type: string, message: string) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
        res.end(JSON.stringify({ message, Message: message }));
      };
      const path = (req.url ?? '').split('?')[0];
      const action = ACTIONS[`${req.method} ${path}`];
      if (!action)
        return fail(404, 'UnknownOperationException', `No X-Ray operation at ${req.method} ${path}`);
      const denied = this.authorize?.(req, action);
      if (denied) return fail(403, 'AccessDeniedException', denied);
      let input: Record<string, unknown>;
      try {
        input = chunks.length
          ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
          : {};
      } catch {
        return fail(400, 'InvalidRequestException', 'The request body is not JSON.');
      }
      try {
        const output = this.operation(action, input);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(output));
      } catch (error) {
        fail(400, 'InvalidRequestException', (error as Error).message);
      }
    });
  }

  private operation(action: string, input: Record<string, unknown>): unknown {
    if (action === 'PutTraceSegments') {
      const docs = (input['TraceSegmentDocuments'] as string[] | undefined) ?? [];
      const unprocessed: { Id?: string; ErrorCode: string; Message: string }[] = [];
      for (const text of docs) {
        try {
          this.put(JSON.parse(text) as SegmentDocument);
        } catch {
          unprocessed.push({ ErrorCode: 'InvalidSegment', Message: 'The document is not JSON.' });
        }
      }
      return { UnprocessedTraceSegments: unprocessed };
    }
    if (action === 'BatchGetTraces') {
      const ids = (input['TraceIds'] as string[] | undefined) ?? [];
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > 5)
        throw new Error('TraceIds must name between 1 and 5 traces.');
      const found = ids.filter((id) => this.traces.has(id));
      return {
        Traces: found.map((id) => ({
          Id: id,
          Duration: this.summary(id)?.Duration ?? 0,
          LimitExceeded: false,
          Segments: this.segments(id).map((s) => ({ Id: s.id, Document: JSON.stringify(s) })),
        })),
        UnprocessedTraceIds: ids.filter((id) => !this.traces.has(id)),
      };
    }
    // GetTraceSummaries
    const start = Number(input['StartTime']);
    const end = Number(input['EndTime']);
    if (!Number.isFinite(start) || !Number.isFinite(end) || end < start)
      throw new Error('StartTime and EndTime must be times, StartTime first.');
    const filter = compileFilter(String(input['FilterExpression'] ?? ''));
    // A trace's first document arrives after its start: one first seen before the range started before it.
    const summaries = [...this.traces]
      .filter(([, t]) => t.firstSeen >= start * 1000)
      .map(([id]) => this.summary(id)!)
      .filter((s) => s && s.StartTime >= start && s.StartTime <= end && filter(s));
    return {
      TraceSummaries: summaries.map(({ StartTime, ...s }) => ({ ...s, StartTime })),
      ApproximateTime: end,
      TracesProcessedCount: summaries.length,
    };
  }
}

export interface TraceSummary {
  Id: string;
  StartTime: number;
  Duration: number;
  ResponseTime: number;
  HasFault: boolean;
  HasError: boolean;
  HasThrottle: boolean;
  IsPartial: boolean;
  Http?: { HttpURL: unknown; HttpMethod: unknown; HttpStatus?: number };
  Annotations: Record<string, { AnnotationValue: Record<string, unknown> }[]>;
  ServiceIds: { Name: string; Names: string[]; Type: string }[];
  EntryPoint: { Name: string; Names: string[]; Type: string };
}

const ACTIONS: Record<string, string> = {
  'POST /TraceSummaries': 'GetTraceSummaries',
  'POST /Traces': 'BatchGetTraces',
  'POST /TraceSegments': 'PutTraceSegments',
};

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * The part of X-Ray's filter expression language the local cloud understands, joined with `AND`:
 * `annotation.KEY = "value"` (or `!=`, or a number or boolean), `service("name")`, `id("trace id")`,
 * `fault`, `error`, `throttle` (optionally `= true|false`), `duration|responsetime` compared with a number.
 * Anything else is refused, so a filter is never silently ignored.
 */
export function compileFilter(expression: string): (s: TraceSummary) => boolean {
  const text = expression.trim();
  if (!text) return () => true;
  const clauses = text.split(/\s+AND\s+/i).map((c) => c.trim());
  const tests = clauses.map((clause): ((s: TraceSummary) => boolean) => {
    let m = /^annotation\.([A-Za-z0-9_]+)\s*(=|!=)\s*(".*"|-?\d+(?:\.\d+)?|true|false)$/.exec(clause);
    if (m) {
      const [, key, op, raw] = m;
      const wanted: unknown = raw!.startsWith('"')
        ? JSON.parse(raw!)
        : raw === 'true'
          ? true
          : raw === 'false'
            ? false
            : Number(raw);
      return (s) => {
        const has = (s.Annotations[key!] ?? []).some((a) => Object.values(a.AnnotationValue)[0] === wanted);
        return op === '=' ? has : !has;
      };
    }
    m = /^service\(\s*"(.*)"\s*\)$/.exec(clause);
    if (m) return (s) => s.ServiceIds.some((id) => id.Name === m![1]);
    m = /^id\(\s*"(.*)"\s*\)$/.exec(clause);
    if (m) return (s) => s.Id === m![1];
    m = /^(fault|error|throttle)(?:\s*=\s*(true|false))?$/i.exec(clause);
    if (m) {
      const field = ({ fault: 'HasFault', error: 'HasError', throttle: 'HasThrottle' } as const)[
        m[1]!.toLowerCase() as 'fault' | 'error' | 'throttle'
      ];
      const wanted = m[2] !== 'false';
      return (s) => s[field] === wanted;
    }
    m = /^(duration|responsetime)\s*(>=|<=|>|<|=)\s*(\d+(?:\.\d+)?)$/i.exec(clause);
    if (m) {
      const field = m[1]!.toLowerCase() === 'duration' ? 'Duration' : 'ResponseTime';
      const n = Number(m[3]);
      const op = m[2];
      return (s) => {
        const v = s[field];
        return op === '>='
          ? v >= n
          : op === '<='
            ? v <= n
            : op === '>'
              ? v > n
              : op === '<'
                ? v < n
                : v === n;
      };
    }
    throw new Error(`The local X-Ray does not understand the filter "${clause}".`);
  });
  return (s) => tests.every((t) => t(s));
}

/** Sends one document to a daemon address, as the X-Ray SDK does (fire and forget). */
export function emit(socket: dgram.Socket, daemonAddress: string, doc: SegmentDocument): void {
  const [host, port] = daemonAddress.split(':');
  socket.send(`${HEADER}\n${JSON.stringify(doc)}`, Number(port), host);
}

/** The message attribute that carries a trace header through the emulator (which keeps no system attributes). */
export const TRACE_ATTRIBUTE = 'AWSTraceHeader';

/**
 * What SNS and SQS do with the caller's `X-Amzn-Trace-Id` header: the message carries it on, and the
 * Lambda event source hands it to the function that receives the message (`attributes.AWSTraceHeader`).
 * The emulator keeps no such system attribute, so the local cloud rewrites a `Publish`, `PublishBatch`,
 * `SendMessage` or `SendMessageBatch` to carry the header as a message attribute of that name, which the
 * SQS event source moves back where Lambda puts it (see `sqsEvent`). Other calls pass unchanged, and so
 * does a message already at SNS's and SQS's limit of 10 attributes.
 */
export function carryTraceHeader(req: http.IncomingMessage, body: Buffer): Buffer {
  const header = parseTraceHeader(req.headers['x-amzn-trace-id'] as string | undefined);
  if (!header || !header.sampled) return body;
  const value = formatTraceHeader(header);
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target === 'AmazonSQS.SendMessage' || target === 'AmazonSQS.SendMessageBatch') {
    const input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const add = (message: Record<string, unknown>) => {
      const attributes = (message['MessageAttributes'] as Record<string, unknown> | undefined) ?? {};
      if (Object.keys(attributes).length >= 10 || attributes[TRACE_ATTRIBUTE]) return;
      message['MessageAttributes'] = {
        ...attributes,
        [TRACE_ATTRIBUTE]: { DataType: 'String', StringValue: value },
      };
    };
    if (target === 'AmazonSQS.SendMessage') add(input);
    else for (const entry of (input['Entries'] as Record<string, unknown>[] | undefined) ?? []) add(entry);
    return Buffer.from(JSON.stringify(input));
  }
  if (!String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) return body;
  const form = new URLSearchParams(body.toString('utf8'));
  const action = form.get('Action');
  let added = false;
  const add = (prefix: string) => {
    const taken = [...form.keys()]
      .map((k) =>
        new RegExp(`^${prefix.replace(/\./g, '\\.')}MessageAttributes\\.entry\\.(\\d+)\\.Name$`).exec(k),
      )
      .filter((m): m is RegExpExecArray => m !== null);
    if (taken.length >= 10 || taken.some((m) => form.get(m[0]) === TRACE_ATTRIBUTE)) return;
    const n = Math.max(0, ...taken.map((m) => Number(m[1]))) + 1;
    form.set(`${prefix}MessageAttributes.entry.${n}.Name`, TRACE_ATTRIBUTE);
    form.set(`${prefix}MessageAttributes.entry.${n}.Value.DataType`, 'String');
    form.set(`${prefix}MessageAttributes.entry.${n}.Value.StringValue`, value);
    added = true;
  };
  if (action === 'Publish') add('');
  else if (action === 'PublishBatch') {
    for (const key of [...form.keys()]) {
      const m = /^PublishBatchRequestEntries\.member\.(\d+)\.Id$/.exec(key);
      if (m) add(`PublishBatchRequestEntries.member.${m[1]}.`);
    }
  }
  return added ? Buffer.from(form.toString()) : body;
}
