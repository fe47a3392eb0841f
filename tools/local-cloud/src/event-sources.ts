import {
  DynamoDBStreamsClient,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  GetRecordsCommand as GetKinesisRecordsCommand,
  GetShardIteratorCommand as GetKinesisShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { Chaos } from './chaos';
import type { LambdaRuntime } from './lambda-runtime';
import { TRACE_ATTRIBUTE } from './xray';

export interface SqsMapping {
  functionName: string;
  queueUrl: string;
  queueArn: string;
  batchSize: number;
  maxConcurrency: number;
  reportBatchItemFailures: boolean;
  /**
   * `MaximumBatchingWindowInSeconds`, in ms: after the first message, the batch gathers more until it is
   * full or the window has passed (0: a batch is what one receive returns).
   */
  batchingWindowMs?: number;
  /**
   * For a deferrable function (see `LambdaRuntime.yieldToUrgent`): how long at most a received batch waits
   * for the functions an order waits on to be idle before it is invoked.
   */
  deferralMs?: number;
}

/**
 * How long a deferrable function's received batch may wait: `DEFERRAL_MS`, less what keeps its messages
 * from coming back to the queue meanwhile — the visibility timeout runs from the first receive, and the
 * window, the wait and the function's own timeout must all fit in it (with a few seconds to delete them).
 */
export function deferralFor(
  deferralMs: number,
  visibilityTimeoutMs: number,
  batchingWindowMs: number,
  functionTimeoutMs: number,
): number {
  return Math.max(
    0,
    Math.min(deferralMs, visibilityTimeoutMs - batchingWindowMs - functionTimeoutMs - 5_000),
  );
}

export interface StreamMapping {
  functionName: string;
  streamArn: string;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  batchSize: number;
  /** Retries of a failed batch before it goes to the on-failure destination (Infinity: until it expires). */
  retryAttempts: number;
  /** On a function error, split the batch in two and retry each half (`BisectBatchOnFunctionError`). */
  bisectOnError?: boolean;
  /** Records older than this are not processed but sent to the on-failure destination (Infinity: never). */
  maxRecordAgeSeconds?: number;
  reportBatchItemFailures: boolean;
  filters: unknown[];
  onFailureQueueUrl?: string;
}

type Log = (message: string) => void;

/** One record of a stream as a mapping handles it, whatever the stream. */
export interface StreamRecord {
  sequence: string;
  /** When the record entered the stream (ms since the epoch), for `MaximumRecordAgeInSeconds`. */
  arrivedAt: number;
  /** The record as the function receives it (without `eventSourceARN` and `awsRegion`). */
  record: Record<string, unknown>;
  /** What the mapping's filter criteria are matched against. */
  filterView: unknown;
}

/** A stream a mapping reads: DynamoDB Streams or Kinesis, through its own API. */
export interface StreamReader {
  /** How Lambda names the batch in an on-failure record: `DDBStreamBatchInfo` or `KinesisBatchInfo`. */
  batchInfoKey: 'DDBStreamBatchInfo' | 'KinesisBatchInfo';
  shards(): Promise<string[]>;
  /** An iterator at the mapping's starting position, or after a sequence number. */
  iterator(
    shardId: string,
    start: 'TRIM_HORIZON' | 'LATEST' | { after: string },
  ): Promise<string | undefined>;
  /** The next records; throws an error named `ExpiredIteratorException` or `TrimmedDataAccessException` to renew. */
  read(shardId: string, iterator: string, limit: number): Promise<{ records: StreamRecord[]; next?: string }>;
}

/** A DynamoDB stream, read through DynamoDB Streams. */
export function dynamoDbStreamReader(streams: DynamoDBStreamsClient, streamArn: string): StreamReader {
  return {
    batchInfoKey: 'DDBStreamBatchInfo',
    async shards() {
      const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      return (StreamDescription?.Shards ?? []).map((shard) => shard.ShardId!);
    },
    async iterator(shardId, start) {
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(typeof start === 'object'
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: start.after }
            : { ShardIteratorType: start }),
        }),
      );
      return ShardIterator;
    },
    async read(_shardId, iterator, limit) {
      const res = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
      return {
        next: res.NextShardIterator,
        records: (res.Records ?? []).map((r) => {
          const created = r.dynamodb?.ApproximateCreationDateTime;
          return {
            sequence: r.dynamodb!.SequenceNumber!,
            arrivedAt: created instanceof Date ? created.getTime() : Number(created) * 1000,
            record: r as unknown as Record<string, unknown>,
            filterView: r,
          };
        }),
      };
    },
  };
}

/** Matches an event against a Lambda filter pattern (the subset CDK's FilterCriteria produces, plus prefix/exists/numeric). */
export function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) {
    return pattern.some((rule) => {
      if (rule && typeof rule === 'object') {
        const r = rule as Record<string, unknown>;
        if ('exists' in r) return r['exists'] ? value !== undefined : value === undefined;
        if ('prefix' in r) return typeof value === 'string' && value.startsWith(String(r['prefix']));
        if ('anything-but' in r) return ![r['anything-but']].flat().includes(value as never);
        if ('numeric' in r) {
          const [op, n] = r['numeric'] as [string, number];
          const v = Number(value);
          return op === '='
            ? v === n
            : op === '>'
              ? v > n
              : op === '>='
                ? v >= n
                : op === '<'
                  ? v < n
                  : v <= n;
        }
      }
      return rule === value;
    });
  }
  if (pattern && typeof pattern === 'object') {
    if (!value || typeof value !== 'object') return false;
    return Object.entries(pattern).every(([k, p]) =>
      matchesPattern(p, (value as Record<string, unknown>)[k]),
    );
  }
  return pattern === value;
}

/**
 * Polls an SQS queue for a function as the Lambda service does: batches of up to `batchSize`, at most
 * `maxConcurrency` batches in flight; successful messages are deleted, failed ones (a thrown error, or the
 * items of `batchItemFailures`) stay and come back after the visibility timeout, until the queue's redrive
 * policy moves them to the DLQ.
 */
export function pollSqs(
  runtime: LambdaRuntime,
  sqs: SQSClient,
  m: SqsMapping,
  log: Log,
  region: string,
  chaos?: Chaos,
): () => void {
  let stopped = false;
  const worker = async () => {
    while (!stopped) {
      try {
        // Long polling as Lambda's pollers do: a message is answered at once, an idle queue costs a
        // receive every 10 s per worker instead of every second.
        const messages = await receive(sqs, m.queueUrl, m.batchSize, SQS_WAIT_SECONDS);
        if (!messages.length || stopped) continue;
        if (m.batchingWindowMs) messages.push(...(await gatherMore(sqs, m, messages.length, () => stopped)));
        if (m.deferralMs) await runtime.yieldToUrgent(m.deferralMs);
        if (stopped) continue;
        const event = sqsEvent(messages, m.queueArn, region);
        let failed = new Set<string>();
        try {
          // Lambda runs the batch in the trace of its first message (the header SNS or SQS carried on).
          const traceHeader = (event.Records[0] as { attributes: Record<string, string> }).attributes[
            TRACE_ATTRIBUTE
          ];
          const result = (await runtime.invoke(m.functionName, event, { traceHeader })) as {
            batchItemFailures?: { itemIdentifier: string }[];
          } | null;
          if (m.reportBatchItemFailures && result?.batchItemFailures) {
            failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
          }
        } catch (error) {
          log(
            `invocation failed, ${messages.length} message(s) return to the queue: ${(error as Error).message}`,
          );
          continue;
        }
        const done = messages.filter((msg) => !failed.has(msg.MessageId!));
        await settleMessages(runtime, sqs, m, done, chaos);
      } catch (error) {
        if (!stopped) {
          log(`poller error: ${(error as Error).message}`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }
  };
  for (let i = 0; i < Math.max(1, m.maxConcurrency); i++) void worker();
  return () => {
    stopped = true;
  };
}

/**
 * The rest of a batch within its batching window, as Lambda gathers it: receives (at most ten messages
 * each, long-polling whole seconds while a second or more is left) until the batch is full or the window
 * has passed since its first message.
 */
async function gatherMore(
  sqs: SQSClient,
  m: SqsMapping,
  have: number,
  stopped: () => boolean,
): Promise<Message[]> {
  const more: Message[] = [];
  const closesAt = Date.now() + (m.batchingWindowMs ?? 0);
  while (have + more.length < m.batchSize && !stopped()) {
    const left = closesAt - Date.now();
    if (left <= 0) break;
    const wait = Math.min(20, Math.floor(left / 1000));
    if (wait === 0) await new Promise((r) => setTimeout(r, Math.min(100, left)));
    more.push(...(await receive(sqs, m.queueUrl, m.batchSize - have - more.length, wait)));
  }
  return more;
}

/** Up to `max` messages (ten at most per receive) with every attribute, long-polling `waitSeconds`. */
async function receive(
  sqs: SQSClient,
  queueUrl: string,
  max: number,
  waitSeconds: number,
): Promise<Message[]> {
  const res = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: Math.min(10, max),
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  return res.Messages ?? [];
}

const SHARD_LIST_MAX_AGE_MS = 3000;
const SQS_WAIT_SECONDS = 10;
/** How often an idle stream is read: five times a second, or once a second when its writes wake it. */
const STREAM_POLL_MS = 200;
const STREAM_IDLE_POLL_MS = 1000;

/** Listeners by key (a table's name), woken when the local cloud sees a write to it. */
export class Wakeups {
  private readonly listeners = new Map<string, Set<() => void>>();

  on(key: string, listener: () => void): () => void {
    const set = this.listeners.get(key) ?? new Set();
    this.listeners.set(key, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  wake(key: string): void {
    for (const listener of this.listeners.get(key) ?? []) listener();
  }
}

const DYNAMODB_WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

/** The tables a DynamoDB request writes to (none for a read), from its target and body. */
export function tablesWritten(target: string | undefined, body: Buffer): string[] {
  const operation =
    String(target ?? '')
      .split('.')
      .pop() ?? '';
  if (!DYNAMODB_WRITES.has(operation)) return [];
  try {
    const input = JSON.parse(body.toString('utf8')) as {
      TableName?: string;
      RequestItems?: Record<string, unknown>;
      TransactItems?: Record<string, { TableName?: string }>[];
    };
    if (operation === 'BatchWriteItem') return Object.keys(input.RequestItems ?? {});
    if (operation === 'TransactWriteItems')
      return [
        ...new Set(
          (input.TransactItems ?? []).flatMap((item) =>
            Object.values(item).map((part) => part.TableName ?? ''),
          ),
        ),
      ].filter(Boolean);
    return input.TableName ? [input.TableName] : [];
  } catch {
    return [];
  }
}
/** Records per GetRecords (DynamoDB Streams' maximum). */
const STREAM_READ_LIMIT = 1000;

/** A Kinesis data stream, read through the Kinesis API (records as Lambda hands them: data in base64). */
export function kinesisStreamReader(kinesis: KinesisClient, streamArn: string): StreamReader {
  const StreamName = streamArn.split(':stream/').pop()!;
  return {
    batchInfoKey: 'KinesisBatchInfo',
    async shards() {
      const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName }));
      return (Shards ?? []).map((shard) => shard.ShardId!);
    },
    async iterator(ShardId, start) {
      const { ShardIterator } = await kinesis.send(
        new GetKinesisShardIteratorCommand({
          StreamName,
          ShardId,
          ...(typeof start === 'object'
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, StartingSequenceNumber: start.after }
            : { ShardIteratorType: start }),
        }),
      );
      return ShardIterator;
    },
    async read(shardId, iterator, limit) {
      const res = await kinesis.send(
        new GetKinesisRecordsCommand({ ShardIterator: iterator, Limit: Math.min(limit, 10_000) }),
      );
      return {
        next: res.NextShardIterator,
        records: (res.Records ?? []).map((r) => {
          const arrivedAt = r.ApproximateArrivalTimestamp?.getTime() ?? Date.now();
          const text = Buffer.from(r.Data ?? new Uint8Array()).toString('utf8');
          const kinesisFields = {
            kinesisSchemaVersion: '1.0',
            partitionKey: r.PartitionKey,
            sequenceNumber: r.SequenceNumber,
            approximateArrivalTimestamp: arrivedAt / 1000,
          };
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            // Not JSON: filters see the text, as Lambda's do.
          }
          return {
            sequence: r.SequenceNumber!,
            arrivedAt,
            record: {
              kinesis: { ...kinesisFields, data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64') },
              eventSource: 'aws:kinesis',
              eventVersion: '1.0',
              eventID: `${shardId}:${r.SequenceNumber}`,
              eventName: 'aws:kinesis:record',
            },
            filterView: { ...kinesisFields, data },
          };
        }),
      };
    },
  };
}

/**
 * Reads a stream (DynamoDB or Kinesis) for a function: records in order per shard, filtered by the
 * mapping's criteria, in batches; a failed batch is retried from the first failed record up to
 * `retryAttempts` times, then the batch's description goes to the on-failure queue and reading moves on.
 */
export function pollStream(
  runtime: LambdaRuntime,
  reader: StreamReader,
  sqs: SQSClient,
  m: StreamMapping,
  log: Log,
  region: string,
  chaos?: Chaos,
  positions?: { get(key: string): string | undefined; set(key: string, sequenceNumber: string): void },
  /** Subscribes to the source's writes (returns the unsubscribe): then the stream is read at once after each. */
  wakeOn?: (listener: () => void) => () => void,
): () => void {
  let stopped = false;
  const iterators = new Map<string, string | undefined>();
  /** Where a shard was read up to in an earlier run (`--persist`), under this mapping's key. */
  const positionKey = (shardId: string) => `${m.functionName} ${m.streamArn} ${shardId}`;
  const resumed = new Set<string>();
  const handedOver = (shardId: string, record: StreamRecord | undefined) => {
    if (record) positions?.set(positionKey(shardId), record.sequence);
  };
  const buffered = new Map<string, StreamRecord[]>();
  const attempts = new Map<string, number>();
  /** A shard's batch size while bisecting after a function error. */
  const batchLimit = new Map<string, number>();
  const lastSequence = new Map<string, string>();

  // The shard list changes rarely (DynamoDB rolls a shard over every few hours): it is described again
  // every few seconds, not on every tick, which kept DynamoDB Local busy even with nothing to read.
  let shards: string[] = [];
  let describedAt = 0;
  /** Reads every shard once and hands its records on; whether any shard had records (then read on at once). */
  const tick = async (): Promise<boolean> => {
    let busy = false;
    if (Date.now() - describedAt > SHARD_LIST_MAX_AGE_MS) {
      shards = await reader.shards();
      describedAt = Date.now();
    }
    for (const shardId of shards) {
      if (!resumed.has(shardId)) {
        resumed.add(shardId);
        const kept = positions?.get(positionKey(shardId));
        if (kept) lastSequence.set(shardId, kept);
      }
      let records = buffered.get(shardId) ?? [];
      if (!records.length) {
        const read = await readShard(reader, m, shardId, iterators, lastSequence);
        if (!read) continue;
        // A full read (filtered records counted) means the shard holds more: read on at once.
        if (read.read >= STREAM_READ_LIMIT) busy = true;
        records = read.matching;
      }
      while (records.length && !stopped) {
        // Records past the mapping's maximum age are not processed: they go to the on-failure destination.
        const expired = tooOld(records, m.maxRecordAgeSeconds ?? Infinity, Date.now());
        if (expired) {
          if (m.onFailureQueueUrl)
            await sendToOnFailure(sqs, m, reader, shardId, records.slice(0, expired), 'RecordAgeExceeded');
          log(
            `${expired} stream record(s) older than ${m.maxRecordAgeSeconds} s sent to the on-failure destination`,
          );
          handedOver(shardId, records[expired - 1]);
          records = records.slice(expired);
          attempts.delete(shardId);
          continue;
        }
        const batch = records.slice(0, batchLimit.get(shardId) ?? m.batchSize);
        const { firstFailed, threw } = await invokeStreamBatch(runtime, m, batch, region, log);
        if (firstFailed < 0) {
          handedOver(shardId, batch.at(-1));
          await redeliverSome(runtime, m, batch, region, log, chaos);
          records = records.slice(batch.length);
          attempts.delete(shardId);
          batchLimit.delete(shardId);
          continue;
        }
        // Bisect on a function error: the half with the bad record is found without spending retries.
        if (threw && m.bisectOnError && batch.length > 1) {
          batchLimit.set(shardId, Math.ceil(batch.length / 2));
          continue;
        }
        const tries = (attempts.get(shardId) ?? 0) + 1;
        attempts.set(shardId, tries);
        if (tries > m.retryAttempts) {
          const failedBatch = batch.slice(firstFailed);
          if (m.onFailureQueueUrl) await sendToOnFailure(sqs, m, reader, shardId, failedBatch);
          log(`stream records dropped to the on-failure destination after ${m.retryAttempts} retries`);
          handedOver(shardId, batch.at(-1));
          records = records.slice(batch.length);
          attempts.delete(shardId);
          batchLimit.delete(shardId);
        } else {
          records = records.slice(firstFailed);
          await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** tries)));
        }
      }
      buffered.set(shardId, records);
      // Everything read is handled (or was filtered out): the position is the last record read.
      const last = lastSequence.get(shardId);
      if (!records.length && last) positions?.set(positionKey(shardId), last);
    }
    return busy;
  };

  // As Lambda does: a shard whose read came back full is read again at once; otherwise it is polled five
  // times a second. (Sleeping after every read of at most 100 records capped a stream at ~500 records/s,
  // and a busy table's stream — every write is a record, only outbox inserts pass the filter — fell
  // minutes behind.) A stream whose writes the local cloud sees (`wakeOn`: the functions' writes to the
  // table) is read as soon as one is answered, and otherwise once a second for writes made from outside:
  // DynamoDB Local spent a third of a core answering empty reads five times a second per stream.
  let wake: (() => void) | undefined;
  let woken = false;
  const unsubscribe = wakeOn?.(() => {
    woken = true;
    wake?.();
  });
  const idleMs = wakeOn ? STREAM_IDLE_POLL_MS : STREAM_POLL_MS;
  const loop = async () => {
    while (!stopped) {
      let busy = false;
      woken = false;
      try {
        busy = await tick();
      } catch (error) {
        if (!stopped) log(`stream poller error: ${(error as Error).message}`);
      }
      if (!busy) {
        // Under load writes come all the time: reads stay at least STREAM_POLL_MS apart, as before.
        const readAt = Date.now();
        if (!woken)
          await new Promise<void>((r) => {
            const timer = setTimeout(r, idleMs);
            wake = () => {
              clearTimeout(timer);
              r();
            };
          });
        wake = undefined;
        const spacing = STREAM_POLL_MS - (Date.now() - readAt);
        if (spacing > 0 && !stopped) await new Promise((r) => setTimeout(r, spacing));
      }
    }
  };
  void loop();
  return () => {
    unsubscribe?.();
    wake?.();
    stopped = true;
  };
}

/**
 * The SQS event a function receives for a batch of messages. The trace header the local cloud carried as a
 * message attribute (see `carryTraceHeader`) is where Lambda puts it: `attributes.AWSTraceHeader`.
 */
export function sqsEvent(messages: Message[], queueArn: string, region: string): { Records: unknown[] } {
  return {
    Records: messages.map((msg) => ({
      messageId: msg.MessageId,
      receiptHandle: msg.ReceiptHandle,
      body: msg.Body,
      attributes: {
        ...msg.Attributes,
        ...(msg.MessageAttributes?.[TRACE_ATTRIBUTE]?.StringValue
          ? { [TRACE_ATTRIBUTE]: msg.MessageAttributes[TRACE_ATTRIBUTE].StringValue }
          : {}),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(msg.MessageAttributes ?? {})
          .filter(([k]) => k !== TRACE_ATTRIBUTE)
          .map(([k, v]) => [
            k,
            { stringValue: v.StringValue, dataType: v.DataType, stringListValues: [], binaryListValues: [] },
          ]),
      ),
      md5OfBody: msg.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: region,
    })),
  };
}

/** Deletes the messages a function handled; in chaos mode some come back first as copies (at-least-once). */
async function settleMessages(
  runtime: LambdaRuntime,
  sqs: SQSClient,
  m: SqsMapping,
  done: Message[],
  chaos: Chaos | undefined,
): Promise<void> {
  for (const msg of done) {
    if (!chaos?.roll(chaos.spec.duplicate)) continue;
    chaos.record('duplicate', runtime.label(m.functionName), `message ${msg.MessageId}`);
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: m.queueUrl,
        MessageBody: msg.Body!,
        MessageAttributes: msg.MessageAttributes,
      }),
    );
  }
  // Ten entries per DeleteMessageBatch (a batch gathered in a window may hold more).
  for (let i = 0; i < done.length; i += 10) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: m.queueUrl,
        Entries: done
          .slice(i, i + 10)
          .map((msg, j) => ({ Id: String(j), ReceiptHandle: msg.ReceiptHandle! })),
      }),
    );
  }
}

/**
 * Runs a function on a batch of stream records: the index of the first record that failed (or -1), and
 * whether the function failed as a whole (an error, not a partial batch response).
 */
async function invokeStreamBatch(
  runtime: LambdaRuntime,
  m: StreamMapping,
  batch: StreamRecord[],
  region: string,
  log: Log,
): Promise<{ firstFailed: number; threw: boolean }> {
  try {
    const result = (await runtime.invoke(m.functionName, {
      Records: batch.map((r) => ({ ...r.record, eventSourceARN: m.streamArn, awsRegion: region })),
    })) as { batchItemFailures?: { itemIdentifier: string }[] } | null;
    const failures = m.reportBatchItemFailures ? (result?.batchItemFailures ?? []) : [];
    if (!failures.length) return { firstFailed: -1, threw: false };
    const ids = new Set(failures.map((f) => f.itemIdentifier));
    return { firstFailed: batch.findIndex((r) => ids.has(r.sequence)), threw: false };
  } catch (error) {
    log(`stream batch failed: ${(error as Error).message}`);
    return { firstFailed: 0, threw: true };
  }
}

/** Chaos: a fraction of a handled batch's records is delivered once more (stream retries repeat records). */
async function redeliverSome(
  runtime: LambdaRuntime,
  m: StreamMapping,
  batch: StreamRecord[],
  region: string,
  log: Log,
  chaos: Chaos | undefined,
): Promise<void> {
  const again = batch.filter(() => chaos?.roll(chaos.spec.duplicate));
  if (!again.length || !chaos) return;
  chaos.record(
    'duplicate',
    runtime.label(m.functionName),
    `stream records ${again.map((r) => r.sequence).join(' ')}`,
  );
  await runtime
    .invoke(m.functionName, {
      Records: again.map((r) => ({ ...r.record, eventSourceARN: m.streamArn, awsRegion: region })),
    })
    .catch((error: Error) => log(`duplicate delivery failed (the original succeeded): ${error.message}`));
}

/** How many records at the head of `records` are older than `maxAgeSeconds` (stream order is age order). */
export function tooOld(records: { arrivedAt: number }[], maxAgeSeconds: number, now: number): number {
  if (!Number.isFinite(maxAgeSeconds)) return 0;
  let n = 0;
  for (const r of records) {
    if (!(now - r.arrivedAt > maxAgeSeconds * 1000)) break;
    n += 1;
  }
  return n;
}

/** A stream batch whose retries are spent goes to the mapping's on-failure destination, as Lambda sends it. */
async function sendToOnFailure(
  sqs: SQSClient,
  m: StreamMapping,
  reader: StreamReader,
  shardId: string,
  failed: StreamRecord[],
  condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded' = 'RetryAttemptsExhausted',
): Promise<void> {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: m.onFailureQueueUrl!,
      MessageBody: JSON.stringify({
        requestContext: { condition, functionArn: m.functionName },
        [reader.batchInfoKey]: {
          shardId,
          streamArn: m.streamArn,
          startSequenceNumber: failed[0]!.sequence,
          endSequenceNumber: failed.at(-1)!.sequence,
          approximateArrivalOfFirstRecord: new Date(failed[0]!.arrivedAt).toISOString(),
          approximateArrivalOfLastRecord: new Date(failed.at(-1)!.arrivedAt).toISOString(),
          batchSize: failed.length,
        },
      }),
    }),
  );
}

/**
 * The next records of a shard that match the mapping's filters (after the last sequence read), with how
 * many were read in all, through a shard iterator kept between ticks; undefined when the iterator had to
 * be renewed (taken next tick).
 */
async function readShard(
  reader: StreamReader,
  m: StreamMapping,
  shardId: string,
  iterators: Map<string, string | undefined>,
  lastSequence: Map<string, string>,
): Promise<{ matching: StreamRecord[]; read: number } | undefined> {
  if (!iterators.has(shardId)) {
    const after = lastSequence.get(shardId);
    let ShardIterator: string | undefined;
    try {
      ShardIterator = await reader.iterator(shardId, after ? { after } : m.startingPosition);
    } catch (error) {
      // A kept position the stream no longer has (trimmed, or a database started afresh): read from the
      // mapping's starting position instead.
      if (!after) throw error;
      lastSequence.delete(shardId);
      throw error;
    }
    iterators.set(shardId, ShardIterator);
  }
  const iterator = iterators.get(shardId);
  if (!iterator) return { matching: [], read: 0 };
  let res;
  try {
    res = await reader.read(shardId, iterator, STREAM_READ_LIMIT);
  } catch (error) {
    // DynamoDB Local trims an iterator taken on an empty shard; take a fresh one on the next tick.
    if (['TrimmedDataAccessException', 'ExpiredIteratorException'].includes((error as Error).name)) {
      iterators.delete(shardId);
      return undefined;
    }
    throw error;
  }
  iterators.set(shardId, res.next);
  const all = res.records;
  if (all.length) lastSequence.set(shardId, all.at(-1)!.sequence);
  return {
    matching: all.filter((r) => !m.filters.length || m.filters.some((f) => matchesPattern(f, r.filterView))),
    read: all.length,
  };
}
