import { SendMessageCommand, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What `npm start -- --persist` keeps between runs, under one folder (`.local-cloud/state`): the emulators'
 * own data (DynamoDB Local's database, s3rver's objects, cognito-local's pools and users, one folder each),
 * and the local cloud's files: the API keys and their usage plans, the demo seed's users and keys, where
 * each stream mapping has read up to, and the queues' messages (saved when the local cloud stops).
 */
export class LocalState {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  read<T>(name: string): T | undefined {
    const file = join(this.dir, name);
    if (!existsSync(file)) return undefined;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as T;
    } catch {
      // A file cut short (a kill mid-write cannot do it: writes are atomic) or edited by hand: start without it.
      return undefined;
    }
  }

  /** Written whole or not at all. */
  write(name: string, value: unknown): void {
    const file = join(this.dir, name);
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(value, null, 1));
    renameSync(partial, file);
  }
}

/**
 * Where each stream mapping has read up to (the last record handed to its function or filtered out), by
 * `<function> <stream ARN> <shard>`: a restart reads on after it, as an event source mapping does, instead
 * of reading the stream again from its start (or skipping what came in while nothing ran).
 */
export class StreamPositions {
  private readonly positions: Map<string, string>;
  private dirty = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly state: LocalState) {
    this.positions = new Map(Object.entries(state.read<Record<string, string>>('streams.json') ?? {}));
    // Saved every second while something moved, so even a killed run restarts close to where it was.
    this.timer = setInterval(() => this.flush(), 1000);
    this.timer.unref();
  }

  get(key: string): string | undefined {
    return this.positions.get(key);
  }

  set(key: string, sequenceNumber: string): void {
    if (this.positions.get(key) === sequenceNumber) return;
    this.positions.set(key, sequenceNumber);
    this.dirty = true;
  }

  flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.state.write('streams.json', Object.fromEntries(this.positions));
  }

  stop(): void {
    clearInterval(this.timer);
    this.flush();
  }
}

/** The emulator keeps binary values in base64; the SDK sends bytes. */
function attributesOf(
  saved: Record<string, { DataType?: string; StringValue?: string; BinaryValue?: unknown }> | undefined,
): Record<string, MessageAttributeValue> | undefined {
  if (!saved || !Object.keys(saved).length) return undefined;
  return Object.fromEntries(
    Object.entries(saved).map(([k, v]) => [
      k,
      {
        DataType: v.DataType,
        ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}),
        ...(typeof v.BinaryValue === 'string' ? { BinaryValue: Buffer.from(v.BinaryValue, 'base64') } : {}),
      },
    ]),
  );
}

interface SavedMessage {
  body: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

/**
 * Saves every queue's messages (ready, delayed and in flight) from the SQS emulator's inspection endpoint,
 * by queue name; returns how many.
 */
export async function saveQueues(sqsEndpoint: string, state: LocalState): Promise<number> {
  const queues = (await (await fetch(`${sqsEndpoint}/_fauxqs/queues`)).json()) as { name: string }[];
  const saved: Record<string, SavedMessage[]> = {};
  let count = 0;
  for (const { name } of queues) {
    const res = await fetch(`${sqsEndpoint}/_fauxqs/queues/${encodeURIComponent(name)}`);
    if (!res.ok) continue;
    const { messages } = (await res.json()) as {
      messages: { ready: SavedMessage[]; delayed: SavedMessage[]; inflight: { message: SavedMessage }[] };
    };
    const all = [...messages.ready, ...messages.delayed, ...messages.inflight.map((i) => i.message)];
    if (!all.length) continue;
    saved[name] = all.map((m) => ({
      body: m.body,
      messageAttributes: m.messageAttributes,
      messageGroupId: m.messageGroupId,
      messageDeduplicationId: m.messageDeduplicationId,
    }));
    count += all.length;
  }
  state.write('queues.json', saved);
  return count;
}

/**
 * Puts the saved messages back in their queues (by name; a queue the templates no longer declare is
 * skipped and named). A message comes back as a new one: new id, receive count from zero.
 */
export async function restoreQueues(
  sqs: SQSClient,
  queueUrlOf: (name: string) => string | undefined,
  state: LocalState,
  log: (line: string) => void,
): Promise<number> {
  const saved = state.read<Record<string, SavedMessage[]>>('queues.json') ?? {};
  let count = 0;
  for (const [name, messages] of Object.entries(saved)) {
    const QueueUrl = queueUrlOf(name);
    if (!QueueUrl) {
      log(
        `${messages.length} saved message(s) of queue ${name}, which no template declares now, not restored`,
      );
      continue;
    }
    for (const m of messages) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl,
          MessageBody: m.body,
          MessageAttributes: attributesOf(m.messageAttributes),
          MessageGroupId: m.messageGroupId,
          MessageDeduplicationId: m.messageDeduplicationId,
        }),
      );
      count += 1;
    }
  }
  // Restored once: a later run without a stop in between must not put them back a second time.
  state.write('queues.json', {});
  return count;
}
