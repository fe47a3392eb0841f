// The SQS event source's batching window (MaximumBatchingWindowInSeconds) and a deferrable function's hold, against the SQS emulator.
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { join } from 'node:path';
import { startEmulators, type Emulators } from '../src/emulators';
import { pollSqs } from '../src/event-sources';
import { LambdaRuntime } from '../src/lambda-runtime';

const handlers = join(__dirname, 'fixture', 'handlers');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let emulators: Emulators;
let sqs: SQSClient;
beforeAll(async () => {
  emulators = await startEmulators({}, ['sqs']);
  sqs = new SQSClient({
    region: 'us-east-1',
    endpoint: emulators.endpoints.sqs,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
}, 60_000);
afterAll(async () => {
  await emulators?.stop();
});

/** A queue polled for a function with this batch size and window; the runtime and how to stop both. */
async function polled(
  name: string,
  batchSize: number,
  batchingWindowMs: number,
  handler = 'priority.handler',
  deferralMs?: number,
) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const runtime = new LambdaRuntime(() => undefined);
  runtime.register({
    name: 'fn',
    label: 'Fixture/fn',
    codeDir: handlers,
    handler,
    environment: {},
    timeoutMs: 5000,
    memoryMb: 128,
    background: true,
    deferrable: deferralMs !== undefined,
  });
  // A function an order would wait on (an API handler, the next step of the order's path).
  runtime.register({
    name: 'urgent',
    label: 'Fixture/urgent',
    codeDir: handlers,
    handler: 'sleeps.handler',
    environment: {},
    timeoutMs: 10_000,
    memoryMb: 128,
  });
  const stop = pollSqs(
    runtime,
    sqs,
    {
      functionName: 'fn',
      queueUrl: QueueUrl!,
      queueArn: `arn:aws:sqs:us-east-1:000000000000:${name}`,
      batchSize,
      maxConcurrency: 1,
      reportBatchItemFailures: false,
      batchingWindowMs,
      deferralMs,
    },
    () => undefined,
    'us-east-1',
  );
  const stats = () => runtime.stats()['fn']!;
  const until = async (messages: number) => {
    const deadline = Date.now() + 15_000;
    while (stats().sqsMessages < messages && Date.now() < deadline) await sleep(50);
  };
  const left = async () =>
    Number(
      (
        await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        )
      ).Attributes!['ApproximateNumberOfMessagesNotVisible'],
    );
  /** `count` messages, `apartMs` apart. */
  const send = async (count: number, apartMs: number) => {
    for (let i = 0; i < count; i++) {
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `{"n":${i}}` }));
      await sleep(apartMs);
    }
  };
  /** An invocation of the urgent function that lasts `ms`; `running()` says whether it still does. */
  const busy = (ms: number) => {
    let done = false;
    const ended = runtime.invoke('urgent', { ms }).finally(() => (done = true));
    return { ended, running: () => !done };
  };
  return {
    queueUrl: QueueUrl!,
    stats,
    until,
    left,
    send,
    busy,
    stopPolling: stop,
    stop: () => (stop(), runtime.stop()),
  };
}

describe('SQS batching window', () => {
  it('gathers messages that arrive within the window into one batch', async () => {
    // Prepare
    const q = await polled('window-on', 10, 3000);
    // Act: three messages, 300 ms apart (well within the window, even on a busy machine).
    await q.send(3, 300);
    await q.until(3);
    q.stop();
    // Assess
    expect(q.stats()).toMatchObject({ sqsMessages: 3, sqsBatches: 1 });
  });

  it('without a window, a batch is what one receive returns', async () => {
    // Prepare
    const q = await polled('window-off', 10, 0);
    // Act: each message once the one before it has been handled.
    for (let n = 1; n <= 3; n++) {
      await q.send(1, 0);
      await q.until(n);
    }
    q.stop();
    // Assess
    expect(q.stats()).toMatchObject({ sqsMessages: 3, sqsBatches: 3 });
  });

  it('leaves every message of a gathered batch in the queue when the function fails', async () => {
    // Prepare
    const q = await polled('window-failing', 10, 2000, 'throws.handler');
    // Act
    await q.send(3, 100);
    await q.until(3);
    await sleep(300);
    q.stop();
    // Assess: one failed invocation; none of its messages deleted (they come back after the visibility timeout).
    expect(q.stats()).toMatchObject({ sqsMessages: 3, sqsBatches: 1, failures: 1 });
    expect(await q.left()).toBe(3);
  });

  it('fills a batch larger than one receive, and deletes every message of it', async () => {
    // Prepare
    const q = await polled('window-large', 15, 2000);
    // Act: fifteen messages at once (two sends of ten and five).
    for (const range of [
      [0, 10],
      [10, 15],
    ])
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: q.queueUrl,
          Entries: Array.from({ length: range[1]! - range[0]! }, (_, i) => ({
            Id: String(i),
            MessageBody: `{"n":${range[0]! + i}}`,
          })),
        }),
      );
    await q.until(15);
    await sleep(300);
    q.stop();
    // Assess
    expect(q.stats()).toMatchObject({ sqsMessages: 15, sqsBatches: 1 });
    expect(await q.left()).toBe(0);
  });
});

describe('a deferrable function (every source of it batches over a window)', () => {
  it('holds a received batch while a function an order waits on is running, and runs it once that one is idle', async () => {
    // Prepare
    const q = await polled('deferred-held', 10, 0, 'priority.handler', 20_000);
    await q.busy(0).ended; // both sandboxes started: what follows measures the wait, not a cold start
    const urgent = q.busy(2500);
    // Act
    await q.send(1, 0);
    await sleep(1500);
    const whileBusy = q.stats().sqsMessages;
    await urgent.ended;
    await q.until(1);
    await sleep(300);
    q.stop();
    // Assess: received at once, invoked only after the urgent invocation ended.
    expect(whileBusy).toBe(0);
    expect(q.stats()).toMatchObject({ sqsMessages: 1, sqsBatches: 1 });
    expect(await q.left()).toBe(0);
  });

  it('invokes nothing it held once its event source stops: the batch stays in the queue', async () => {
    // Prepare
    const q = await polled('deferred-stopped', 10, 0, 'priority.handler', 20_000);
    const urgent = q.busy(3000);
    await q.send(1, 0);
    await sleep(500);
    // Act: the local cloud stops while the batch is held.
    q.stopPolling();
    await urgent.ended;
    await sleep(500);
    const left = await q.left();
    q.stop();
    // Assess: never invoked, never deleted (in flight, it comes back after the visibility timeout).
    expect(q.stats().sqsMessages).toBe(0);
    expect(left).toBe(1);
  });

  it.each([
    ['holds a batch no longer than its deferral', 'deferred-capped', 500],
    [
      'runs a batch at once for a function that is not deferrable, however busy the others are',
      'not-deferred',
      undefined,
    ],
  ])('%s', async (_, queue, deferralMs) => {
    // Prepare
    const q = await polled(queue, 10, 0, 'priority.handler', deferralMs);
    const urgent = q.busy(4000);
    // Act
    await q.send(1, 0);
    await q.until(1);
    const urgentStillRunning = urgent.running();
    await urgent.ended;
    q.stop();
    // Assess: the batch ran while the urgent invocation was still going.
    expect(q.stats()).toMatchObject({ sqsMessages: 1, sqsBatches: 1 });
    expect(urgentStillRunning).toBe(true);
  });
});
