// `--persist`: what a run leaves is there at the next start; without it, nothing is.
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud, WORKSPACE_ROOT, type LocalCloud } from '../src/local-cloud';
import { createUsers } from '../src/users';
import { synthFixture } from './fixture/fixture-app';

const outdir = join(WORKSPACE_ROOT, 'dist', 'test-fixture-persist', 'cdk.out');
const stateDir = mkdtempSync(join(tmpdir(), 'local-cloud-state-'));
let seeds = 0;

const start = (persist: string | undefined) =>
  startLocalCloud({
    cdkOut: outdir,
    outputsDir: null,
    persist,
    seed: async (ctx) => {
      seeds += 1;
      return {
        users: await createUsers(ctx, [{ name: 'admin', username: 'admin@example.com', groups: ['admins'] }]),
        apiKeys: [],
      };
    },
  });

const resource = (cloud: LocalCloud, prefix: string) =>
  Object.entries(cloud.outputs.resources).find(([k]) => k.startsWith(`Fixture/${prefix}`))![1];

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  synthFixture(outdir);
});
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

it('keeps tables, stream positions, buckets, users, queued messages and API keys across a restart with --persist', async () => {
  // Prepare: a first run leaves an item (read by a stream mapping), an object, a queued message, users and keys.
  const first = await start(stateDir);
  let firstKeys: LocalCloud['outputs']['apiKeys'];
  let firstUsers: LocalCloud['outputs']['users'];
  try {
    await first.clients.dynamodb.send(
      new PutItemCommand({
        TableName: resource(first, 'Items'),
        Item: { pk: { S: 'kept-1' }, kind: { S: 'item' } },
      }),
    );
    await eventually(async () => {
      const res = await first.clients.dynamodb.send(
        new GetItemCommand({ TableName: resource(first, 'Audit'), Key: { pk: { S: 'kept-1' } } }),
      );
      return res.Item;
    });
    await first.clients.s3.send(new CreateBucketCommand({ Bucket: 'kept-bucket' }));
    await first.clients.s3.send(new PutObjectCommand({ Bucket: 'kept-bucket', Key: 'a.txt', Body: 'kept' }));
    // The DLQ has no consumer: its message waits there.
    await first.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: resource(first, 'Dlq'),
        MessageBody: 'parked',
        MessageAttributes: { reason: { DataType: 'String', StringValue: 'test' } },
      }),
    );
    firstKeys = first.outputs.apiKeys;
    firstUsers = first.outputs.users;
  } finally {
    await first.stop();
  }

  // Act
  const second = await start(stateDir);
  try {
    // Assess: the table and its item, and the stream mapping did not read the stream again from its start.
    const item = await second.clients.dynamodb.send(
      new GetItemCommand({ TableName: resource(second, 'Items'), Key: { pk: { S: 'kept-1' } } }),
    );
    expect(item.Item?.['kind']?.S).toBe('item');
    await new Promise((r) => setTimeout(r, 1500));
    const auditor = Object.values(second.runtime.stats()).find((s) => s.label.startsWith('Fixture/Auditor'))!;
    expect(auditor.invocations).toBe(0);
    const object = await second.clients.s3.send(
      new GetObjectCommand({ Bucket: 'kept-bucket', Key: 'a.txt' }),
    );
    expect(await object.Body!.transformToString()).toBe('kept');
    const parked = await second.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: resource(second, 'Dlq'), MessageAttributeNames: ['All'] }),
    );
    expect(parked.Messages?.map((m) => [m.Body, m.MessageAttributes?.['reason']?.StringValue])).toEqual([
      ['parked', 'test'],
    ]);
    // The seed ran once; its users sign in with the same password; the keys keep their values.
    expect(seeds).toBe(1);
    expect(second.outputs.users).toEqual(firstUsers);
    const admin = second.outputs.users['admin']!;
    const auth = await second.clients.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: second.outputs.cognito.clientId!,
        AuthParameters: { USERNAME: admin.username, PASSWORD: admin.password },
      }),
    );
    expect(auth.AuthenticationResult?.IdToken).toBeDefined();
    expect(second.outputs.apiKeys).toEqual(firstKeys);
  } finally {
    await second.stop();
  }

  // And without --persist, a start is fresh again.
  const fresh = await start(undefined);
  try {
    const item = await fresh.clients.dynamodb.send(
      new GetItemCommand({ TableName: resource(fresh, 'Items'), Key: { pk: { S: 'kept-1' } } }),
    );
    expect(item.Item).toBeUndefined();
    expect(seeds).toBe(2);
  } finally {
    await fresh.stop();
  }
}, 240000);
