import {
  DescribeArchiveCommand,
  DescribeReplayCommand,
  EventBridgeClient,
  ListRulesCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { LocalEventBridge, type BusEvent, type BusTarget } from './eventbridge';

describe('the local EventBridge, through @aws-sdk/client-eventbridge', () => {
  let bus: LocalEventBridge;
  let client: EventBridgeClient;
  const delivered: { target: string; payload: string; event: BusEvent }[] = [];
  let failing = new Set<string>();
  beforeAll(async () => {
    bus = await new LocalEventBridge({
      region: 'us-east-1',
      accountId: '000000000000',
      deliver: async (target: BusTarget, payload, event) => {
        if (failing.has(target.Id)) throw new Error('endpoint down');
        delivered.push({ target: target.Id, payload, event });
      },
      log: () => undefined,
    }).start();
    bus.addBus('orders');
    bus.createArchive({ ArchiveName: 'all', EventSourceArn: bus.busArn('orders'), RetentionDays: 7 });
    client = new EventBridgeClient({
      endpoint: bus.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await client.send(
      new PutRuleCommand({
        Name: 'outcomes',
        EventBusName: 'orders',
        EventPattern: JSON.stringify({
          source: [{ prefix: 'order-platform.' }],
          'detail-type': ['OrderCompleted', 'OrderCancelled'],
        }),
      }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: 'outcomes',
        EventBusName: 'orders',
        Targets: [
          { Id: 'erp', Arn: 'arn:aws:events:us-east-1:000000000000:api-destination/erp/1' },
          { Id: 'detail-only', Arn: 'arn:aws:sqs:us-east-1:000000000000:q', InputPath: '$.detail' },
        ],
      }),
    );
  });
  afterAll(() => bus.stop());
  const wait = () => new Promise((r) => setTimeout(r, 50));
  const put = (detailType: string, orderId: string) =>
    client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'orders',
            Source: 'order-platform.pedidos',
            DetailType: detailType,
            Detail: JSON.stringify({ orderId }),
          },
        ],
      }),
    );

  it('routes an event to the targets of every rule it matches, transformed as each target asks', async () => {
    const res = await put('OrderCompleted', 'o-1');
    await put('OrderPlaced', 'o-2');
    await wait();
    expect(res.FailedEntryCount).toBe(0);
    expect(delivered.map((d) => [d.target, d.event.detail])).toEqual([
      ['erp', { orderId: 'o-1' }],
      ['detail-only', { orderId: 'o-1' }],
    ]);
    expect(JSON.parse(delivered[1]!.payload)).toEqual({ orderId: 'o-1' });
    expect(JSON.parse(delivered[0]!.payload)).toMatchObject({
      version: '0',
      source: 'order-platform.pedidos',
      'detail-type': 'OrderCompleted',
      account: '000000000000',
      id: res.Entries![0]!.EventId,
    });
  });

  it('reports bad entries one by one, and refuses a pattern it cannot read', async () => {
    const res = await client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'orders', Source: 's', DetailType: 't', Detail: '{not json' },
          { EventBusName: 'nope', Source: 's', DetailType: 't', Detail: '{}' },
          { EventBusName: 'orders', Source: 's', DetailType: 't', Detail: '{}' },
        ],
      }),
    );
    expect(res.FailedEntryCount).toBe(2);
    expect(res.Entries!.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'MalformedDetail',
      'NotAuthorizedForSourceException',
      'ok',
    ]);
    await expect(
      client.send(
        new PutRuleCommand({ Name: 'bad', EventBusName: 'orders', EventPattern: '{"source":[{"nope":1}]}' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidEventPatternException' });
    const listed = await client.send(new ListRulesCommand({ EventBusName: 'orders' }));
    expect(listed.Rules!.map((r) => r.Name)).toEqual(['outcomes']);
    const test = await client.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify({ detail: { n: [{ numeric: ['>', 1] }] } }),
        Event: JSON.stringify({
          id: '1',
          source: 's',
          'detail-type': 't',
          account: '1',
          time: 't',
          region: 'r',
          resources: [],
          detail: { n: 2 },
        }),
      }),
    );
    expect(test.Result).toBe(true);
  });

  it('archives every event of the bus, and a replay sends the archived ones in range to the rules again, marked', async () => {
    const before = await client.send(new DescribeArchiveCommand({ ArchiveName: 'all' }));
    expect(before.EventCount).toBe(3);
    expect(before.SizeBytes).toBeGreaterThan(0);
    delivered.length = 0;
    const started = await client.send(
      new StartReplayCommand({
        ReplayName: 'again',
        EventSourceArn: before.ArchiveArn,
        EventStartTime: new Date(Date.now() - 60_000),
        EventEndTime: new Date(Date.now() + 1000),
        Destination: { Arn: bus.busArn('orders') },
      }),
    );
    expect(started.ReplayArn).toContain(':replay/again');
    await wait();
    const replay = await client.send(new DescribeReplayCommand({ ReplayName: 'again' }));
    expect(replay.State).toBe('COMPLETED');
    expect(delivered.map((d) => [d.target, d.event['replay-name']])).toEqual([
      ['erp', 'again'],
      ['detail-only', 'again'],
    ]);
    // Replayed events are not archived a second time.
    expect((await client.send(new DescribeArchiveCommand({ ArchiveName: 'all' }))).EventCount).toBe(3);
  });

  it('retries a target that fails, then gives the event to its dead-letter queue', async () => {
    failing = new Set(['flaky']);
    bus.putRule({ Name: 'flaky', EventBusName: 'orders', EventPattern: { 'detail-type': ['Flaky'] } });
    bus.putTargets('flaky', 'orders', [
      {
        Id: 'flaky',
        Arn: 'arn:aws:sqs:us-east-1:000000000000:x',
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:dlq' },
        RetryPolicy: { MaximumRetryAttempts: 1 },
      },
    ]);
    delivered.length = 0;
    await put('Flaky', 'o-3');
    await new Promise((r) => setTimeout(r, 1200));
    expect(delivered.map((d) => d.target)).toEqual(['flaky-dlq']);
  });
});
