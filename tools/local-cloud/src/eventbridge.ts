import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AwsJsonError, awsJsonListener, LoopbackService } from './aws-json-server';
import { InvalidEventPatternError, matchesEventPattern, validateEventPattern } from './event-patterns';

/** A rule's target, as `PutTargets` and the templates declare it. */
export interface BusTarget {
  Id: string;
  Arn: string;
  Input?: string;
  InputPath?: string;
  RoleArn?: string;
  DeadLetterConfig?: { Arn?: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
}

interface Rule {
  name: string;
  arn: string;
  bus: string;
  pattern?: Record<string, unknown>;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  targets: BusTarget[];
}

interface ArchivedEvent {
  event: BusEvent;
  at: number;
}

interface Archive {
  name: string;
  arn: string;
  busArn: string;
  pattern?: Record<string, unknown>;
  retentionDays: number;
  created: number;
  events: ArchivedEvent[];
  sizeBytes: number;
}

interface Replay {
  name: string;
  arn: string;
  archiveArn: string;
  destination: { Arn: string; FilterArns?: string[] };
  start: number;
  end: number;
  state: 'STARTING' | 'RUNNING' | 'COMPLETED' | 'FAILED';
  reason?: string;
  started: number;
  ended?: number;
  lastReplayed?: number;
  replayed: number;
}

/** An event as rules see it (the envelope EventBridge builds around an entry). */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  'replay-name'?: string;
}

export class EventBridgeError extends AwsJsonError {}

/** Delivery attempts locally: EventBridge retries for up to 24 h; the local bus retries a few times, quickly. */
const LOCAL_MAX_ATTEMPTS = 4;

/**
 * The local EventBridge: custom buses, rules with the full event-pattern language (see event-patterns.ts)
 * and their targets (delivered by the local cloud: SQS, Lambda, API destinations, log groups), archives
 * with their event count and size, and replays of an archive onto its bus. It speaks the EventBridge API
 * (AWS JSON 1.1, `AWSEvents.<Operation>`) for `@aws-sdk/client-eventbridge` and the AWS CLI.
 */
export class LocalEventBridge extends LoopbackService {
  private readonly buses = new Map<string, { name: string; arn: string }>();
  private readonly rules = new Map<string, Rule>();
  private readonly archives = new Map<string, Archive>();
  private readonly replays = new Map<string, Replay>();

  constructor(
    private readonly o: {
      region: string;
      accountId: string;
      /** Delivers one event (already transformed) to one target; throws to have it retried. */
      deliver: (target: BusTarget, payload: string, event: BusEvent) => Promise<void>;
      log: (line: string) => void;
      /** Checks an API call against the caller's role; a denial message, or undefined to go on. */
      authorize?: (req: http.IncomingMessage, action: string, resource: string) => string | undefined;
      /** `GET /store/<name>`: what the local targets recorded (API destinations' requests, log groups). */
      store?: (name: string) => unknown;
    },
  ) {
    super();
    this.addBus('default');
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.o.region}:${this.o.accountId}:event-bus/${name}`;
  }

  /** A bus by name or ARN. */
  private bus(nameOrArn: string | undefined): { name: string; arn: string } {
    const name = (nameOrArn ?? 'default').split('event-bus/').pop()!;
    const bus = this.buses.get(name);
    if (!bus) throw new EventBridgeError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return bus;
  }

  addBus(name: string): string {
    const arn = this.busArn(name);
    this.buses.set(name, { name, arn });
    return arn;
  }

  putRule(r: {
    Name: string;
    EventBusName?: string;
    EventPattern?: string | Record<string, unknown>;
    State?: string;
    Description?: string;
  }): string {
    const bus = this.bus(r.EventBusName);
    const pattern = typeof r.EventPattern === 'string' ? JSON.parse(r.EventPattern) : r.EventPattern;
    if (!pattern) throw new EventBridgeError('ValidationException', 'The local bus runs pattern rules only.');
    try {
      validateEventPattern(pattern);
    } catch (error) {
      throw new EventBridgeError('InvalidEventPatternException', (error as Error).message);
    }
    const arn = `arn:aws:events:${this.o.region}:${this.o.accountId}:rule/${bus.name === 'default' ? '' : `${bus.name}/`}${r.Name}`;
    const key = `${bus.name}/${r.Name}`;
    this.rules.set(key, {
      name: r.Name,
      arn,
      bus: bus.name,
      pattern,
      state: r.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      description: r.Description,
      targets: this.rules.get(key)?.targets ?? [],
    });
    return arn;
  }

  putTargets(ruleName: string, busName: string | undefined, targets: BusTarget[]): void {
    const rule = this.rules.get(`${this.bus(busName).name}/${ruleName}`);
    if (!rule) throw new EventBridgeError('ResourceNotFoundException', `Rule ${ruleName} does not exist.`);
    for (const t of targets) rule.targets = [...rule.targets.filter((x) => x.Id !== t.Id), t];
  }

  createArchive(a: {
    ArchiveName: string;
    EventSourceArn: string;
    EventPattern?: string | Record<string, unknown>;
    RetentionDays?: number;
  }): string {
    const bus = this.bus(a.EventSourceArn);
    const pattern = typeof a.EventPattern === 'string' ? JSON.parse(a.EventPattern) : a.EventPattern;
    if (pattern) validateEventPattern(pattern);
    if (this.archives.has(a.ArchiveName))
      throw new EventBridgeError(
        'ResourceAlreadyExistsException',
        `Archive ${a.ArchiveName} already exists.`,
      );
    const arn = `arn:aws:events:${this.o.region}:${this.o.accountId}:archive/${a.ArchiveName}`;
    this.archives.set(a.ArchiveName, {
      name: a.ArchiveName,
      arn,
      busArn: bus.arn,
      pattern,
      retentionDays: a.RetentionDays ?? 0,
      created: Date.now(),
      events: [],
      sizeBytes: 0,
    });
    return arn;
  }

  /** The archived events of an archive, oldest first. */
  archived(name: string): BusEvent[] {
    return (this.archives.get(name)?.events ?? []).map((e) => e.event);
  }

  /** `PutEvents`: one result per entry, in order; each accepted event goes to the archives and the rules. */
  putEvents(
    entries: {
      Source?: string;
      DetailType?: string;
      Detail?: string;
      Resources?: string[];
      EventBusName?: string;
      Time?: number | string | Date;
    }[],
  ): { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[] {
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10)
      throw new EventBridgeError('ValidationException', 'Entries must hold 1 to 10 events.');
    return entries.map((entry) => {
      if (!entry.Source || !entry.DetailType || !entry.Detail)
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required.' };
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail);
      } catch {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON.' };
      }
      if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is a JSON object.' };
      if (Buffer.byteLength(entry.Detail) > 256 * 1024)
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'An entry is larger than 256 KB.' };
      let bus: { name: string; arn: string };
      try {
        bus = this.bus(entry.EventBusName);
      } catch (error) {
        return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: (error as Error).message };
      }
      const time =
        entry.Time === undefined
          ? new Date()
          : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
      const event: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: this.o.accountId,
        time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: this.o.region,
        resources: entry.Resources ?? [],
        detail,
      };
      for (const archive of this.archives.values()) {
        if (archive.busArn !== bus.arn) continue;
        if (archive.pattern && !matchesEventPattern(archive.pattern, event)) continue;
        archive.events.push({ event, at: Date.now() });
        archive.sizeBytes += Buffer.byteLength(JSON.stringify(event));
      }
      this.route(bus.name, event);
      return { EventId: event.id };
    });
  }

  /** Sends an event to every enabled rule of the bus it matches (only `only` rules for a replay). */
  private route(busName: string, event: BusEvent, only?: Set<string>): void {
    for (const rule of this.rules.values()) {
      if (rule.bus !== busName || rule.state !== 'ENABLED') continue;
      if (only && !only.has(rule.arn)) continue;
      if (rule.pattern && !matchesEventPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) void this.deliver(rule, target, event);
    }
  }

  private async deliver(rule: Rule, target: BusTarget, event: BusEvent): Promise<void> {
    const payload =
      target.Input !== undefined
        ? target.Input
        : target.InputPath
          ? JSON.stringify(jsonPath(event, target.InputPath) ?? null)
          : JSON.stringify(event);
    const attempts = Math.min(LOCAL_MAX_ATTEMPTS, 1 + (target.RetryPolicy?.MaximumRetryAttempts ?? 185));
    for (let attempt = 1; ; attempt++) {
      try {
        await this.o.deliver(target, payload, event);
        return;
      } catch (error) {
        if (attempt >= attempts) {
          const message = (error as Error).message;
          this.o.log(
            `rule ${rule.name}: event ${event.id} not delivered to ${target.Id} after ${attempt} attempt(s): ${message}`,
          );
          if (target.DeadLetterConfig?.Arn)
            await this.o
              .deliver(
                { Id: `${target.Id}-dlq`, Arn: target.DeadLetterConfig.Arn },
                JSON.stringify(event),
                event,
              )
              .catch((e: Error) =>
                this.o.log(`rule ${rule.name}: dead-letter queue refused event ${event.id}: ${e.message}`),
              );
          return;
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  }

  /** `StartReplay`: the archive's events in the time range go to the destination bus's rules again. */
  startReplay(r: {
    ReplayName: string;
    EventSourceArn: string;
    EventStartTime: number | string | Date;
    EventEndTime: number | string | Date;
    Destination: { Arn: string; FilterArns?: string[] };
  }): Replay {
    if (this.replays.has(r.ReplayName))
      throw new EventBridgeError('ResourceAlreadyExistsException', `Replay ${r.ReplayName} already exists.`);
    const archive = [...this.archives.values()].find((a) => a.arn === r.EventSourceArn);
    if (!archive)
      throw new EventBridgeError('ResourceNotFoundException', `Archive ${r.EventSourceArn} does not exist.`);
    if (r.Destination?.Arn !== archive.busArn)
      throw new EventBridgeError('ValidationException', 'A replay goes to the bus its archive records.');
    const toMs = (t: number | string | Date) => (typeof t === 'number' ? t * 1000 : new Date(t).getTime());
    const replay: Replay = {
      name: r.ReplayName,
      arn: `arn:aws:events:${this.o.region}:${this.o.accountId}:replay/${r.ReplayName}`,
      archiveArn: archive.arn,
      destination: r.Destination,
      start: toMs(r.EventStartTime),
      end: toMs(r.EventEndTime),
      state: 'STARTING',
      started: Date.now(),
      replayed: 0,
    };
    if (!(replay.start < replay.end))
      throw new EventBridgeError('ValidationException', 'EventStartTime must be before EventEndTime.');
    this.replays.set(replay.name, replay);
    setImmediate(() => {
      replay.state = 'RUNNING';
      const busName = archive.busArn.split('event-bus/').pop()!;
      const only = r.Destination.FilterArns?.length ? new Set(r.Destination.FilterArns) : undefined;
      for (const { event } of archive.events) {
        const at = new Date(event.time).getTime();
        if (at < replay.start || at >= replay.end) continue;
        // Replayed events carry the replay's name and are not archived again.
        this.route(busName, { ...event, 'replay-name': replay.name }, only);
        replay.replayed += 1;
        replay.lastReplayed = at;
      }
      replay.state = 'COMPLETED';
      replay.ended = Date.now();
    });
    return replay;
  }

  async start(port = 0): Promise<this> {
    await this.listen(
      awsJsonListener({
        targetPrefix: 'AWSEvents',
        fallbackError: 'ValidationException',
        get: (req, res) => {
          const stored = /^\/store\/([a-z-]+)$/.exec(req.url ?? '');
          if (!stored) return false;
          const content = this.o.store?.(stored[1]!);
          res.writeHead(content === undefined ? 404 : 200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(content ?? { message: 'Nothing stored by that name.' }));
          return true;
        },
        operation: (action, input, req) => {
          const denied = this.o.authorize?.(req, `events:${action}`, this.resourceOf(action, input));
          if (denied) throw new EventBridgeError('AccessDeniedException', denied);
          try {
            return this.operation(action, input);
          } catch (error) {
            if (error instanceof InvalidEventPatternError)
              throw new EventBridgeError('InvalidEventPatternException', error.message);
            throw error;
          }
        },
      }),
      port,
    );
    return this;
  }

  /** The ARN IAM checks an API call against. */
  private resourceOf(action: string, input: Record<string, unknown>): string {
    if (action === 'PutEvents') {
      const entries = (input['Entries'] as { EventBusName?: string }[] | undefined) ?? [];
      const name = (entries[0]?.EventBusName ?? 'default').split('event-bus/').pop()!;
      return this.busArn(name);
    }
    return '*';
  }

  private operation(action: string, input: Record<string, unknown>): unknown {
    const str = (k: string) => input[k] as string | undefined;
    switch (action) {
      case 'PutEvents': {
        const results = this.putEvents(input['Entries'] as Parameters<LocalEventBridge['putEvents']>[0]);
        return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
      }
      case 'TestEventPattern': {
        const pattern = JSON.parse(str('EventPattern') ?? 'null');
        validateEventPattern(pattern);
        return { Result: matchesEventPattern(pattern, JSON.parse(str('Event') ?? 'null')) };
      }
      case 'ListEventBuses':
        return { EventBuses: [...this.buses.values()].map((b) => ({ Name: b.name, Arn: b.arn })) };
      case 'DescribeEventBus': {
        const bus = this.bus(str('Name'));
        return { Name: bus.name, Arn: bus.arn };
      }
      case 'PutRule':
        return { RuleArn: this.putRule(input as Parameters<LocalEventBridge['putRule']>[0]) };
      case 'PutTargets':
        this.putTargets(str('Rule')!, str('EventBusName'), input['Targets'] as BusTarget[]);
        return { FailedEntryCount: 0, FailedEntries: [] };
      case 'ListRules': {
        const bus = this.bus(str('EventBusName'));
        return {
          Rules: [...this.rules.values()]
            .filter(
              (r) => r.bus === bus.name && (!str('NamePrefix') || r.name.startsWith(str('NamePrefix')!)),
            )
            .map((r) => this.ruleView(r)),
        };
      }
      case 'DescribeRule':
        return this.ruleView(this.rule(str('Name'), str('EventBusName')));
      case 'ListTargetsByRule':
        return { Targets: this.rule(str('Rule'), str('EventBusName')).targets };
      case 'CreateArchive': {
        const arn = this.createArchive(input as Parameters<LocalEventBridge['createArchive']>[0]);
        return { ArchiveArn: arn, State: 'ENABLED', CreationTime: Date.now() / 1000 };
      }
      case 'DescribeArchive': {
        const a = this.archives.get(str('ArchiveName') ?? '');
        if (!a)
          throw new EventBridgeError(
            'ResourceNotFoundException',
            `Archive ${str('ArchiveName')} does not exist.`,
          );
        return {
          ArchiveArn: a.arn,
          ArchiveName: a.name,
          EventSourceArn: a.busArn,
          EventPattern: a.pattern ? JSON.stringify(a.pattern) : undefined,
          State: 'ENABLED',
          RetentionDays: a.retentionDays,
          SizeBytes: a.sizeBytes,
          EventCount: a.events.length,
          CreationTime: a.created / 1000,
        };
      }
      case 'ListArchives':
        return {
          Archives: [...this.archives.values()].map((a) => ({
            ArchiveName: a.name,
            EventSourceArn: a.busArn,
            State: 'ENABLED',
            RetentionDays: a.retentionDays,
            SizeBytes: a.sizeBytes,
            EventCount: a.events.length,
            CreationTime: a.created / 1000,
          })),
        };
      case 'StartReplay': {
        const r = this.startReplay(input as Parameters<LocalEventBridge['startReplay']>[0]);
        return { ReplayArn: r.arn, State: r.state, ReplayStartTime: r.started / 1000 };
      }
      case 'DescribeReplay': {
        const r = this.replays.get(str('ReplayName') ?? '');
        if (!r)
          throw new EventBridgeError(
            'ResourceNotFoundException',
            `Replay ${str('ReplayName')} does not exist.`,
          );
        return {
          ReplayName: r.name,
          ReplayArn: r.arn,
          State: r.state,
          EventSourceArn: r.archiveArn,
          Destination: r.destination,
          EventStartTime: r.start / 1000,
          EventEndTime: r.end / 1000,
          EventLastReplayedTime: r.lastReplayed !== undefined ? r.lastReplayed / 1000 : undefined,
          ReplayStartTime: r.started / 1000,
          ReplayEndTime: r.ended !== undefined ? r.ended / 1000 : undefined,
        };
      }
      case 'ListReplays':
        return {
          Replays: [...this.replays.values()].map((r) => ({
            ReplayName: r.name,
            EventSourceArn: r.archiveArn,
            State: r.state,
            ReplayStartTime: r.started / 1000,
          })),
        };
      default:
        throw new EventBridgeError(
          'UnknownOperationException',
          `The local EventBridge does not serve ${action}.`,
        );
    }
  }

  private rule(name: string | undefined, bus: string | undefined): Rule {
    const rule = this.rules.get(`${this.bus(bus).name}/${name}`);
    if (!rule) throw new EventBridgeError('ResourceNotFoundException', `Rule ${name} does not exist.`);
    return rule;
  }

  private ruleView(r: Rule) {
    return {
      Name: r.name,
      Arn: r.arn,
      EventBusName: r.bus,
      EventPattern: r.pattern ? JSON.stringify(r.pattern) : undefined,
      State: r.state,
      Description: r.description,
    };
  }
}

/** The `$.a.b` paths InputPath takes. */
function jsonPath(value: unknown, path: string): unknown {
  if (path === '$') return value;
  return path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)
    .reduce<unknown>(
      (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
      value,
    );
}
