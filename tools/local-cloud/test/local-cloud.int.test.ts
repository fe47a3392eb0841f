import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import {
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { PublishCommand } from '@aws-sdk/client-sns';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { BatchGetTracesCommand, GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';
import { ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startLocalCloud, WORKSPACE_ROOT, type LocalCloud } from '../src/local-cloud';
import { createUsers } from '../src/users';
import { synthFixture } from './fixture/fixture-app';

// The fixture app is synthesized inside the workspace so its handlers resolve the SDK from node_modules.
const outdir = join(WORKSPACE_ROOT, 'dist', 'test-fixture', 'cdk.out');
let cloud: LocalCloud;

const resource = (id: string) => cloud.outputs.resources[`Fixture/${id}`]!;
const logicalId = (prefix: string) =>
  Object.keys(cloud.outputs.resources)
    .find((k) => k.startsWith(`Fixture/${prefix}`))!
    .slice(8);

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const functionName = (id: string) =>
  cloud.runtime.functions().find((f) => f.label.startsWith(`Fixture/${id}`))!.name;

async function item(tableLogicalPrefix: string, pk: string) {
  const res = await cloud.clients.dynamodb.send(
    new GetItemCommand({
      TableName: resource(logicalId(tableLogicalPrefix)),
      Key: { pk: { S: pk } },
      ConsistentRead: true,
    }),
  );
  return res.Item;
}

async function idToken(username: string, password: string): Promise<string> {
  const res = await cloud.clients.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: cloud.outputs.cognito.clientId!,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  return res.AuthenticationResult!.IdToken!;
}

/** Opens a WebSocket; resolves with the socket and its messages, or with the HTTP status that refused it. */
function openSocket(
  token?: string,
): Promise<{ ws?: WebSocket; refused?: number; messages: unknown[]; next(): Promise<unknown> }> {
  const url = `${cloud.outputs.webSocketUrl}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const ws = new WebSocket(url);
  const messages: unknown[] = [];
  const waiters: ((m: unknown) => void)[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as unknown;
    const waiter = waiters.shift();
    if (waiter) waiter(m);
    else messages.push(m);
  });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      if (messages.length) return resolve(messages.shift());
      const timer = setTimeout(() => reject(new Error('no message in time')), 10000);
      waiters.push((m) => {
        clearTimeout(timer);
        resolve(m);
      });
    });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages, next }));
    ws.once('unexpected-response', (_req, res) => resolve({ refused: res.statusCode, messages, next }));
    ws.once('error', (error) =>
      error.message.includes('Unexpected server response') ? undefined : reject(error),
    );
  });
}

beforeAll(async () => {
  rmSync(outdir, { recursive: true, force: true });
  synthFixture(outdir);
  // The fixture's own demo users, through the seed hook any app uses.
  cloud = await startLocalCloud({
    cdkOut: outdir,
    outputsDir: null,
    seed: async (ctx) => ({
      users: await createUsers(ctx, [
        { name: 'customer', username: 'customer@example.com', groups: ['customers'] },
        { name: 'admin', username: 'admin@example.com', groups: ['admins'] },
      ]),
      apiKeys: [],
    }),
  });
}, 120000);
afterAll(() => cloud?.stop());

describe('local cloud on the fixture app', () => {
  it('delivers SNS → SQS (filter policy) → Lambda → DynamoDB, and filters out other types', async () => {
    // Prepare
    const topicArn = resource(logicalId('Events'));
    // Act
    await cloud.clients.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify({ id: 'wanted-1' }),
        MessageAttributes: { type: { DataType: 'String', StringValue: 'Wanted' } },
      }),
    );
    await cloud.clients.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify({ id: 'other-1' }),
        MessageAttributes: { type: { DataType: 'String', StringValue: 'Other' } },
      }),
    );
    // Assess
    const stored = await eventually(() => item('Items', 'wanted-1'));
    expect(stored['attempts']).toEqual({ N: '1' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await item('Items', 'other-1')).toBeUndefined();
  });

  it('retries only the failed record of a batch, and moves it to the DLQ after maxReceiveCount', async () => {
    // Prepare
    const queueUrl = resource(logicalId('Inbox'));
    // Act
    await cloud.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'a', MessageBody: JSON.stringify({ id: 'batch-ok-1' }) },
          { Id: 'b', MessageBody: JSON.stringify({ id: 'batch-poison', fail: true }) },
          { Id: 'c', MessageBody: JSON.stringify({ id: 'batch-ok-2' }) },
        ],
      }),
    );
    // Assess
    const dead = await eventually(async () => {
      const res = await cloud.clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: resource(logicalId('Dlq')), WaitTimeSeconds: 1 }),
      );
      return res.Messages?.length ? res.Messages : undefined;
    }, 20000);
    expect(dead.map((m) => JSON.parse(m.Body!).id)).toEqual(['batch-poison']);
    expect((await item('Items', 'batch-poison'))!['attempts']).toEqual({ N: '2' });
    expect((await item('Items', 'batch-ok-1'))!['attempts']).toEqual({ N: '1' });
    expect((await item('Items', 'batch-ok-2'))!['attempts']).toEqual({ N: '1' });
  });

  it('feeds a stream mapping only the records its filter criteria match', async () => {
    // Act: the consumer writes kind=item for one message and kind=skip for the other.
    const queueUrl = resource(logicalId('Inbox'));
    await cloud.clients.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'a', MessageBody: JSON.stringify({ id: 'stream-item' }) },
          { Id: 'b', MessageBody: JSON.stringify({ id: 'stream-skip', kind: 'skip' }) },
        ],
      }),
    );
    // Assess
    await eventually(() => item('Audit', 'stream-item'));
    await eventually(() => item('Items', 'stream-skip'));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await item('Audit', 'stream-skip')).toBeUndefined();
  });

  it('bisects a batch that fails as a whole, so only the poison record ends at the on-failure destination', async () => {
    // Prepare: four records written together, the third one poison.
    const table = resource(logicalId('Items'));
    const keys = ['bisect-1', 'bisect-2', 'poison-bisect', 'bisect-3'];
    // Act
    await cloud.clients.dynamodb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [table]: keys.map((pk) => ({ PutRequest: { Item: { pk: { S: pk }, kind: { S: 'bisect' } } } })),
        },
      }),
    );
    // Assess: the good records went through; the poison one, alone, reached the on-failure queue.
    for (const pk of ['bisect-1', 'bisect-2', 'bisect-3'])
      await eventually(() => item('Audit', `bisected-${pk}`));
    const failures = await eventually(async () => {
      const res = await cloud.clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: resource(logicalId('BisectFailures')), WaitTimeSeconds: 1 }),
      );
      return res.Messages?.length ? res.Messages : undefined;
    });
    const info = JSON.parse(failures[0]!.Body!) as {
      requestContext: { condition: string };
      DDBStreamBatchInfo: { batchSize: number };
    };
    expect(info.requestContext.condition).toBe('RetryAttemptsExhausted');
    expect(info.DDBStreamBatchInfo.batchSize).toBe(1);
    expect(await item('Audit', 'bisected-poison-bisect')).toBeUndefined();
  });

  it('reads a Kinesis stream in batches, retries a failed record, bisects a batch that throws, and sends spent batches to the on-failure destination', async () => {
    // Prepare: six good records, one that fails itself and one that makes its batch throw, on one shard.
    const ids = ['k-ok1', 'k-ok2', 'k-fail', 'k-ok3', 'k-throw', 'k-ok4', 'k-ok5', 'k-ok6'];
    // Act
    await cloud.clients.kinesis.send(
      new PutRecordsCommand({
        StreamName: resource(logicalId('Records')).split(':stream/').pop(),
        Records: ids.map((id) => ({
          PartitionKey: 'one-shard',
          Data: Buffer.from(JSON.stringify({ id, fail: id === 'k-fail', throw: id === 'k-throw' })),
        })),
      }),
    );
    // Assess
    const failures = resource(logicalId('KinesisFailures'));
    const parked: { Body?: string }[] = [];
    await eventually(async () => {
      const res = await cloud.clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: failures, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }),
      );
      parked.push(...(res.Messages ?? []));
      return parked.length >= 2 ? true : undefined;
    }, 30000);
    const infos = parked.map(
      (m) =>
        (JSON.parse(m.Body!) as { KinesisBatchInfo: { batchSize: number; streamArn: string } })
          .KinesisBatchInfo,
    );
    expect(infos.map((i) => i.batchSize).sort()).toEqual([1, 2]);
    expect(infos[0]!.streamArn).toContain(':stream/');
    for (const id of ids.filter((i) => i.startsWith('k-ok'))) {
      const seen = await eventually(() => item('Audit', `kinesis#${id}`));
      expect(seen['eventSource']!.S).toBe('aws:kinesis');
    }
    expect(Number((await item('Audit', 'kinesis#k-throw'))!['attempts']!.N)).toBeGreaterThanOrEqual(2);
    const sizes = (await item('Audit', 'kinesis#batches'))!['sizes']!.NS!.map(Number);
    expect(Math.max(...sizes)).toBe(4);
    expect(sizes).toContain(1);
  });

  it('runs each concurrent invocation in its own environment, reuses a warm one, and times out only its own', async () => {
    // Prepare
    const fn = cloud.runtime.functions().find((f) => f.label.includes('State'))!;
    const invoke = (event: unknown) =>
      cloud.runtime.invoke(fn.name, event) as Promise<{ pid: number; seen: number }>;
    // Act: three at once, then one more; then one that hangs past the 2 s timeout beside one that does not.
    const together = await Promise.all([invoke({}), invoke({}), invoke({})]);
    const after = await invoke({ ms: 1 });
    const [hung, fine] = await Promise.allSettled([invoke({ hang: true, ms: 1 }), invoke({ ms: 300 })]);
    // Assess
    expect(together.map((r) => r.seen)).toEqual([1, 1, 1]);
    expect(new Set(together.map((r) => r.pid)).size).toBe(3);
    expect(together.map((r) => r.pid)).toContain(after.pid);
    expect(hung.status).toBe('rejected');
    expect((hung as PromiseRejectedResult).reason.message).toMatch(/Task timed out after 2 seconds/);
    expect(fine).toMatchObject({ status: 'fulfilled', value: { seen: 1 } });
    expect(cloud.runtime.stats()[fn.name]!.coldStarts).toBeGreaterThanOrEqual(3);
  });

  it('shows the same tables to any credentials, as the AWS CLI with its own profile would see them', async () => {
    // Prepare
    const other = new DynamoDBClient({
      region: cloud.outputs.region,
      endpoint: cloud.outputs.emulators['dynamodb'],
      credentials: { accessKeyId: 'AKIASOMEONEELSE1', secretAccessKey: 'other' },
    });
    // Act
    const seen = await other.send(new ListTablesCommand({}));
    const ours = await cloud.clients.dynamodb.send(new ListTablesCommand({}));
    // Assess
    expect(ours.TableNames!.length).toBeGreaterThan(0);
    expect(seen.TableNames).toEqual(ours.TableNames);
    expect(cloud.outputs.credentials).toEqual({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
  });

  it("speaks SQS's query protocol to older clients (the AWS CLI of Debian), and JSON to the SDKs, on one endpoint", async () => {
    // Prepare: a query-protocol client, as awscli 2.9 sends its requests.
    const query = async (params: Record<string, string>) => {
      const res = await fetch(cloud.outputs.emulators['sqs']!, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
      });
      return { status: res.status, text: await res.text() };
    };
    const queueUrl = resource(logicalId('Intake'));
    // Act
    const listed = await query({ Action: 'ListQueues' });
    const sent = await query({ Action: 'SendMessage', QueueUrl: queueUrl, MessageBody: 'from <the> CLI' });
    const received = await query({ Action: 'ReceiveMessage', QueueUrl: queueUrl, WaitTimeSeconds: '1' });
    const unknown = await query({ Action: 'GetQueueUrl', QueueName: 'no-such-queue' });
    // Assess
    expect(listed.status).toBe(200);
    expect(listed.text).toContain(`<QueueUrl>${queueUrl}</QueueUrl>`);
    expect(sent.text).toMatch(/<MessageId>[^<]+<\/MessageId>/);
    expect(received.text).toContain('<Body>from &lt;the&gt; CLI</Body>');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('<Code>AWS.SimpleQueueService.NonExistentQueue</Code>');
  });

  it('serves REST routes: public, with path parameters and the function environment', async () => {
    // Act
    const res = await fetch(`${cloud.outputs.apiUrl}/public/ana`);
    // Assess
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      resource: '/public/{name}',
      pathParameters: { name: 'ana' },
      claims: null,
      env: 'echo-env',
    });
  });

  it('keeps one X-Ray trace from a traced API stage through a function, SNS and SQS to the next function', async () => {
    // Act
    const res = await fetch(`${cloud.outputs.apiUrl}/traced/t1`);
    const answer = (await res.json()) as { traceHeader: string; apiHeader: string };
    const seen = await eventually(() => item('Audit', 'traced#t1'));
    // Assess: the header each hop was given names the same trace, the function's own segment as parent.
    expect(res.status).toBe(200);
    const root = /Root=([^;]+)/.exec(answer.traceHeader)![1]!;
    expect(answer.apiHeader).toContain(`Root=${root};`);
    expect(seen['recordHeader']!.S).toBe(answer.traceHeader);
    expect(seen['invocationHeader']!.S).toMatch(new RegExp(`^Root=${root};Parent=[0-9a-f]{16};Sampled=1$`));
    // The carried header is where Lambda puts it, not among the message's own attributes.
    expect(seen['messageAttributes']!.S).toBe('kind');
    // The local X-Ray has the whole trace, through the SDK.
    const xray = new XRayClient({
      endpoint: cloud.outputs.emulators['xray'],
      region: 'us-east-1',
      credentials: cloud.outputs.credentials,
    });
    const listenerName = functionName('Listener');
    const summaries = await eventually(async () => {
      const page = await xray.send(
        new GetTraceSummariesCommand({
          StartTime: new Date(Date.now() - 60_000),
          EndTime: new Date(Date.now() + 60_000),
          FilterExpression: `service("${listenerName}")`,
        }),
      );
      return page.TraceSummaries?.find((t) => t.Id === root);
    });
    expect(summaries.HasFault).toBe(false);
    const traces = await xray.send(new BatchGetTracesCommand({ TraceIds: [root] }));
    const docs = traces.Traces![0]!.Segments!.map(
      (s) => JSON.parse(s.Document!) as { id: string; name: string; origin: string; parent_id?: string },
    );
    const find = (origin: string, name: string) => docs.find((d) => d.origin === origin && d.name === name)!;
    const stage = docs.find((d) => d.origin === 'AWS::ApiGateway::Stage')!;
    const announcerName = functionName('Announcer');
    const announcerService = find('AWS::Lambda', announcerName);
    const announcerFunction = find('AWS::Lambda::Function', announcerName);
    const listenerService = find('AWS::Lambda', listenerName);
    const listenerFunction = find('AWS::Lambda::Function', listenerName);
    expect(stage.name).toMatch(/\/api$/);
    expect(announcerService.parent_id).toBe(stage.id);
    expect(announcerFunction.parent_id).toBe(announcerService.id);
    expect(answer.traceHeader).toContain(`Parent=${announcerFunction.id}`);
    expect(listenerService.parent_id).toBe(announcerFunction.id);
    expect(listenerFunction.parent_id).toBe(listenerService.id);
  });

  it('refuses an X-Ray filter it does not understand instead of ignoring it', async () => {
    const xray = new XRayClient({
      endpoint: cloud.outputs.emulators['xray'],
      region: 'us-east-1',
      credentials: cloud.outputs.credentials,
    });
    await expect(
      xray.send(
        new GetTraceSummariesCommand({
          StartTime: new Date(Date.now() - 60_000),
          EndTime: new Date(),
          FilterExpression: 'edge("a", "b") { fault }',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });

  it('answers 401 on a Cognito route without a valid token, and passes the claims with one', async () => {
    // Prepare
    const admin = cloud.outputs.users['admin']!;
    const token = await idToken(admin.username, admin.password);
    // Act
    const none = await fetch(`${cloud.outputs.apiUrl}/private`);
    const forged = await fetch(`${cloud.outputs.apiUrl}/private`, {
      headers: { Authorization: `${token.slice(0, -4)}AAAA` },
    });
    const ok = await fetch(`${cloud.outputs.apiUrl}/private`, { headers: { Authorization: token } });
    // Assess
    expect(none.status).toBe(401);
    expect(forged.status).toBe(401);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { claims: unknown }).claims).toMatchObject({
      email: admin.username,
      'cognito:groups': '[admins]',
    });
  });

  it('fails an invocation that runs past its timeout with 502', async () => {
    const res = await fetch(`${cloud.outputs.apiUrl}/slow`);
    expect(res.status).toBe(502);
  });

  it('sends a valid body with an API key straight to SQS, with the key id, and refuses the rest', async () => {
    // Prepare
    const key = cloud.outputs.apiKeys.find((k) => k.name === 'fixture-partner')!;
    const noPlan = cloud.outputs.apiKeys.find((k) => k.name === 'fixture-no-plan')!;
    const post = (body: unknown, apiKey?: string) =>
      fetch(`${cloud.outputs.apiUrl}/intake`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
        body: JSON.stringify(body),
      });
    // Act
    const accepted = await post({ ref: 'r-1', qty: 2 }, key.apiKey);
    const invalid = await post({ ref: '', qty: 0 }, key.apiKey);
    const withoutKey = await post({ ref: 'r-2', qty: 1 });
    const unplanned = await post({ ref: 'r-3', qty: 1 }, noPlan.apiKey);
    // Assess
    expect(accepted.status).toBe(202);
    const { messageId } = (await accepted.json()) as { messageId: string };
    expect(messageId).toMatch(/\S+/);
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { errors: string[] }).errors).toEqual([
      '$.ref: must NOT have fewer than 1 characters',
      '$.qty: must be >= 1',
    ]);
    expect(withoutKey.status).toBe(403);
    expect(unplanned.status).toBe(403);
    const got = await cloud.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: resource(logicalId('Intake')),
        WaitTimeSeconds: 1,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    expect(got.Messages?.map((m) => JSON.parse(m.Body!))).toEqual([{ ref: 'r-1', qty: 2 }]);
    expect(got.Messages?.[0]?.MessageAttributes?.['apiKeyId']?.StringValue).toBe(key.apiKeyId);
  });

  it('answers 429 once an API key is past its daily quota', async () => {
    // Prepare: the quota is 3 a day and the previous test used 2 of them (one accepted, one invalid).
    const key = cloud.outputs.apiKeys.find((k) => k.name === 'fixture-partner')!;
    const post = () =>
      fetch(`${cloud.outputs.apiUrl}/intake`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-api-key': key.apiKey },
        body: JSON.stringify({ ref: 'q', qty: 1 }),
      });
    // Act
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post()).status);
    // Assess
    expect(statuses).toEqual([202, 429, 429]);
  });

  it('lists every resource it created in the outputs', () => {
    expect(Object.keys(cloud.outputs.resources)).toEqual(
      expect.arrayContaining([
        `Fixture/${logicalId('Items')}`,
        `Fixture/${logicalId('Inbox')}`,
        `Fixture/${logicalId('Events')}`,
      ]),
    );
    expect(cloud.outputs.cognito.userPoolId).toMatch(/^local_/);
  });

  describe('WebSocket API', () => {
    const management = () =>
      new ApiGatewayManagementApiClient({
        region: cloud.outputs.region,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        endpoint: cloud.outputs.webSocketUrl!.replace(/^ws:/, 'http:'),
      });

    it('refuses $connect without a token (401) and with a token the authorizer denies (403)', async () => {
      // Prepare
      const customer = cloud.outputs.users['customer']!;
      const token = await idToken(customer.username, customer.password);
      // Act
      const none = await openSocket();
      const tampered = await openSocket(`${token.slice(0, -4)}AAAA`);
      const denied = await openSocket(token);
      // Assess
      expect([none.refused, tampered.refused, denied.refused]).toEqual([401, 401, 403]);
    });

    it('admits an admin, runs $connect with the authorizer context, routes messages and @connections', async () => {
      // Prepare
      const admin = cloud.outputs.users['admin']!;
      const socket = await openSocket(await idToken(admin.username, admin.password));
      expect(socket.refused).toBeUndefined();
      const client = management();
      // Act: a two-way custom route, then $default (which answers through @connections).
      socket.ws!.send(JSON.stringify({ action: 'echo', n: 1 }));
      const echoed = await socket.next();
      socket.ws!.send(JSON.stringify({ action: 'unknown', n: 2 }));
      const answered = (await socket.next()) as { youSaid: string; route: string };
      // Assess
      expect(echoed).toEqual({ echo: { action: 'echo', n: 1 } });
      expect(answered.route).toBe('$default');
      expect(JSON.parse(answered.youSaid)).toEqual({ action: 'unknown', n: 2 });
      // The $connect function recorded the connection with the authorizer's context.
      const connectionRecord = await eventually(async () => {
        const res = await cloud.clients.dynamodb.send(
          new ScanCommand({ TableName: resource(logicalId('Audit')) }),
        );
        return res.Items?.find((i) => i['pk']?.S?.startsWith('conn#'));
      });
      expect(connectionRecord['email']).toEqual({ S: admin.username });
      const connectionId = connectionRecord['pk']!.S!.slice('conn#'.length);
      // Act: the management API from outside, through the SDK.
      const info = await client.send(new GetConnectionCommand({ ConnectionId: connectionId }));
      await client.send(
        new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify({ pushed: true }) }),
      );
      const pushed = await socket.next();
      const closed = new Promise<number>((r) => socket.ws!.once('close', (code) => r(code)));
      await client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
      // Assess
      expect(info.ConnectedAt).toBeInstanceOf(Date);
      expect(pushed).toEqual({ pushed: true });
      expect(await closed).toBe(1000);
      await expect(
        client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'late' })),
      ).rejects.toBeInstanceOf(GoneException);
      // $disconnect ran: the record is gone.
      await eventually(async () => {
        const res = await cloud.clients.dynamodb.send(
          new ScanCommand({ TableName: resource(logicalId('Audit')) }),
        );
        return res.Items?.some((i) => i['pk']?.S === `conn#${connectionId}`) ? undefined : true;
      });
    });
  });

  it('closes a WebSocket connection sent a message past 128 KB (1009), as API Gateway does', async () => {
    // Prepare
    const admin = cloud.outputs.users['admin']!;
    const socket = await openSocket(await idToken(admin.username, admin.password));
    // Act: the largest message still goes through; one byte more closes the connection.
    socket.ws!.send(JSON.stringify({ action: 'echo', pad: 'x'.repeat(128 * 1024 - 30) }));
    const echoed = (await socket.next()) as { echo: { pad: string } };
    const closed = new Promise<number>((r) => socket.ws!.once('close', (code) => r(code)));
    socket.ws!.send(JSON.stringify({ action: 'echo', pad: 'x'.repeat(128 * 1024) }));
    // Assess
    expect(echoed.echo.pad).toHaveLength(128 * 1024 - 30);
    expect(await closed).toBe(1009);
  });

  it('listens on the loopback address only: every emulator, the gateways and the control plane', () => {
    // Prepare: the listening sockets of this machine, from the kernel's tables (state 0A = LISTEN).
    const listening = new Map<number, string[]>();
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      for (const line of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
        const [, local, , state] = line.trim().split(/\s+/);
        if (state !== '0A') continue;
        const [address, portHex] = local!.split(':');
        const port = parseInt(portHex!, 16);
        listening.set(port, [...(listening.get(port) ?? []), address!]);
      }
    }
    const loopback = new Set(['0100007F', '0000000000000000FFFF00000100007F']);
    const ports = [
      ...Object.values(cloud.outputs.emulators),
      cloud.outputs.apiUrl,
      cloud.outputs.webSocketUrl!.replace(/^ws/, 'http'),
    ].map((url) => Number(new URL(url).port));
    // Act / Assess
    for (const port of ports) {
      expect({ port, addresses: listening.get(port) }).toEqual({
        port,
        addresses: expect.arrayContaining([expect.any(String)]),
      });
      expect({ port, outside: listening.get(port)!.filter((a) => !loopback.has(a)) }).toEqual({
        port,
        outside: [],
      });
    }
  });

  it('ran every case above under IAM enforcement (the default) without a denied call', () => {
    expect(cloud.outputs.iam).toBe('enforce');
    expect(cloud.iam.denials()).toEqual([]);
  });
});
