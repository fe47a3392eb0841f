import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessKeyFor, evaluate, LocalIam, type PolicyStatement } from './iam';

const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/orders';

describe('evaluate (IAM policy evaluation)', () => {
  const statements: PolicyStatement[] = [
    {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:Query'],
      Resource: [TABLE, `${TABLE}/index/*`],
    },
    {
      Effect: 'Allow',
      Action: 'dynamodb:UpdateItem',
      Resource: TABLE,
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OUTBOX#*'] } },
    },
    { Effect: 'Allow', Action: 's3:GetObject*', Resource: 'arn:aws:s3:::docs/*' },
    { Sid: 'NoDeletes', Effect: 'Deny', Action: 's3:Delete*', Resource: '*' },
    { Effect: 'Allow', NotAction: 'sqs:Delete*', Resource: 'arn:aws:sqs:us-east-1:000000000000:jobs' },
  ];
  const decide = (action: string, resource: string, context: Record<string, string[]> = {}) =>
    evaluate(statements, { action, resources: [resource], context });

  it('allows what a statement names, with wildcards in actions (any case) and resources', () => {
    expect(decide('dynamodb:GetItem', TABLE).allowed).toBe(true);
    expect(decide('DynamoDB:Query', `${TABLE}/index/gsi1`).allowed).toBe(true);
    expect(decide('s3:GetObjectVersion', 'arn:aws:s3:::docs/invoices/1.pdf').allowed).toBe(true);
    expect(decide('sqs:SendMessage', 'arn:aws:sqs:us-east-1:000000000000:jobs').allowed).toBe(true);
  });

  it('denies what no statement allows, and an explicit deny over any allow', () => {
    expect(decide('dynamodb:PutItem', TABLE)).toEqual({
      allowed: false,
      reason: 'no identity-based policy allows it',
    });
    expect(decide('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:000000000000:table/other').allowed).toBe(
      false,
    );
    expect(decide('s3:GetObject', 'arn:aws:s3:::other/x').allowed).toBe(false);
    expect(decide('s3:DeleteObject', 'arn:aws:s3:::docs/x').reason).toBe(
      'explicitly denied by statement NoDeletes',
    );
    expect(decide('sqs:DeleteMessage', 'arn:aws:sqs:us-east-1:000000000000:jobs').allowed).toBe(false);
  });

  it('applies the condition keys the templates use: the items a call touches must all be outbox records', () => {
    expect(decide('dynamodb:UpdateItem', TABLE, { 'dynamodb:LeadingKeys': ['OUTBOX#e-1'] }).allowed).toBe(
      true,
    );
    expect(decide('dynamodb:UpdateItem', TABLE, { 'dynamodb:LeadingKeys': ['ORDER#o-1'] }).allowed).toBe(
      false,
    );
    expect(
      decide('dynamodb:UpdateItem', TABLE, { 'dynamodb:LeadingKeys': ['OUTBOX#e-1', 'ORDER#o-1'] }).allowed,
    ).toBe(false);
  });
});

describe('LocalIam in front of a service, seen through the real SDK clients', () => {
  let upstream: http.Server;
  let iam: LocalIam;
  const key = accessKeyFor('fn');
  const client = <T>(Client: new (config: object) => T, endpoint: string, accessKeyId = key) =>
    new Client({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
      maxAttempts: 1,
    });

  beforeAll(async () => {
    // An upstream that accepts everything: whatever fails below failed at the IAM proxy.
    upstream = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    iam = new LocalIam(
      'enforce',
      { region: 'us-east-1', accountId: '000000000000', partitionKeyOf: () => 'pk' },
      () => undefined,
    );
    iam.register(key, {
      label: 'Orders/Fn',
      roleArn: 'arn:aws:local:us-east-1:000000000000:Stack/FnRole',
      statements: [
        { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TABLE },
        {
          Effect: 'Allow',
          Action: 'dynamodb:UpdateItem',
          Resource: TABLE,
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['OUTBOX#*'] } },
        },
      ],
    });
  });
  afterAll(() => {
    iam.stop();
    upstream.close();
  });

  it("answers each service's denial in that service's shape, which its SDK client raises as access denied", async () => {
    // Prepare
    const target = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const endpoint = async (service: string) => iam.proxy(service, target);
    const dynamodb = client(DynamoDBClient, await endpoint('dynamodb'));
    const item = { pk: { S: 'ORDER#1' } };
    // Act
    const attempts = await Promise.allSettled([
      dynamodb.send(new GetItemCommand({ TableName: 'orders', Key: item })),
      dynamodb.send(new PutItemCommand({ TableName: 'orders', Item: item })),
      dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: 'orders',
                Key: { pk: { S: 'OUTBOX#1' } },
                UpdateExpression: 'SET a = :a',
                ExpressionAttributeValues: { ':a': { S: '1' } },
              },
            },
            {
              Update: {
                TableName: 'orders',
                Key: item,
                UpdateExpression: 'SET a = :a',
                ExpressionAttributeValues: { ':a': { S: '1' } },
              },
            },
          ],
        }),
      ),
      client(SQSClient, await endpoint('sqs')).send(
        new SendMessageCommand({ QueueUrl: 'http://127.0.0.1/000000000000/jobs', MessageBody: 'x' }),
      ),
      client(SNSClient, await endpoint('sns')).send(
        new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:events', Message: 'x' }),
      ),
      client(S3Client, await endpoint('s3')).send(
        new PutObjectCommand({ Bucket: 'docs', Key: 'a.pdf', Body: 'x' }),
      ),
      client(SESClient, await endpoint('ses')).send(
        new SendEmailCommand({
          Source: 'shop@example.com',
          Destination: { ToAddresses: ['a@example.com'] },
          Message: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } },
        }),
      ),
      // Not a sandbox's key (the local cloud itself, a developer's CLI): not checked.
      client(DynamoDBClient, await endpoint('dynamodb'), 'S3RVER').send(
        new PutItemCommand({ TableName: 'orders', Item: item }),
      ),
    ]);
    // Assess
    const names = attempts.map((a) => (a.status === 'fulfilled' ? 'ok' : (a.reason as Error).name));
    expect(names).toEqual([
      'ok',
      'AccessDeniedException',
      'AccessDeniedException',
      'AccessDenied',
      'AuthorizationErrorException',
      'AccessDenied',
      'AccessDenied',
      'ok',
    ]);
    expect((attempts[1] as PromiseRejectedResult).reason.message).toMatch(
      /assumed-role\/FnRole\/Orders\/Fn is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table\/orders/,
    );
    expect(
      iam
        .denials()
        .map((d) => d.action)
        .sort(),
    ).toEqual([
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      's3:PutObject',
      'ses:SendEmail',
      'sns:Publish',
      'sqs:SendMessage',
    ]);
  });
});

describe('LocalIam.authorize (the APIs the local cloud serves itself)', () => {
  it('holds `@connections` and API Gateway control-plane calls to the role, and leaves other callers alone', () => {
    // Prepare
    const iam = new LocalIam(
      'enforce',
      { region: 'us-east-1', accountId: '000000000000', partitionKeyOf: () => undefined },
      () => undefined,
    );
    const key = accessKeyFor('pusher');
    iam.register(key, {
      label: 'Painel/RecordEvent',
      roleArn: 'arn:aws:local:us-east-1:000000000000:Painel/RecordEventRole',
      statements: [
        {
          Effect: 'Allow',
          Action: 'execute-api:ManageConnections',
          Resource: 'arn:aws:execute-api:us-east-1:000000000000:liveapi/live/POST/@connections/*',
        },
      ],
    });
    const req = (accessKeyId: string) =>
      ({
        headers: {
          authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261123/us-east-1/execute-api/aws4_request`,
        },
        url: '/live/@connections/c1',
      }) as never;
    const manage = (method: string) => [
      {
        action: 'execute-api:ManageConnections',
        resources: [`arn:aws:execute-api:us-east-1:000000000000:liveapi/live/${method}/@connections/c1`],
        context: {},
      },
    ];
    const control = [
      { action: 'apigateway:POST', resources: ['arn:aws:apigateway:us-east-1::/apikeys'], context: {} },
    ];
    // Act + Assess
    expect(iam.authorize(req(key), manage('POST'))).toBeUndefined();
    expect(iam.authorize(req(key), manage('DELETE'))).toMatchObject({
      action: 'execute-api:ManageConnections',
    });
    expect(iam.authorize(req(key), control)).toMatchObject({ action: 'apigateway:POST' });
    expect(iam.authorize(req('S3RVER'), control)).toBeUndefined();
    expect(iam.deniedMessage(req(key), iam.denials()[0]!)).toMatch(
      /assumed-role\/RecordEventRole\/Painel\/RecordEvent is not authorized to perform: execute-api:ManageConnections/,
    );
  });
});

describe('resource policies (queue, topic and bucket policies) weighed with the role', () => {
  const ROLE = 'arn:aws:iam::000000000000:role/Worker';
  const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:jobs';
  const TOPIC = 'arn:aws:sns:us-east-1:000000000000:events';
  const BUCKET = 'arn:aws:s3:::docs';
  const iam = () => {
    const local = new LocalIam(
      'enforce',
      { region: 'us-east-1', accountId: '000000000000', partitionKeyOf: () => undefined },
      () => undefined,
    );
    // What `enforceSSL` writes on every queue, topic and bucket of the stacks.
    for (const resource of [QUEUE, TOPIC, BUCKET])
      local.addResourcePolicy(resource, [
        {
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: '*',
          Resource: '*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]);
    return local;
  };
  const ask = (action: string, resource: string, context: Record<string, string[]> = {}) => ({
    action,
    resources: [resource],
    context,
  });

  it("allows by the resource policy what the role does not, and a TLS-only deny does not touch the local cloud's calls", () => {
    const local = iam();
    local.addResourcePolicy(QUEUE, [
      { Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'sqs:SendMessage', Resource: QUEUE },
    ]);
    expect(local.decide([], { roleArn: ROLE }, ask('sqs:SendMessage', QUEUE))).toEqual({
      allowed: true,
      reason: 'allowed by the resource policy',
    });
    expect(local.decide([], { roleArn: ROLE }, ask('sqs:DeleteMessage', QUEUE)).allowed).toBe(false);
    const role = [{ Effect: 'Allow' as const, Action: 's3:GetObject', Resource: `${BUCKET}/*` }];
    expect(local.decide(role, { roleArn: ROLE }, ask('s3:GetObject', `${BUCKET}/a.pdf`)).allowed).toBe(true);
  });

  it('denies by an explicit deny of the resource policy (an object by its bucket policy) whatever the role allows', () => {
    const local = iam();
    local.addResourcePolicy(BUCKET, [
      {
        Sid: 'NoDeletes',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:DeleteObject',
        Resource: `${BUCKET}/*`,
      },
    ]);
    const role = [{ Effect: 'Allow' as const, Action: 's3:*', Resource: '*' }];
    expect(local.decide(role, { roleArn: ROLE }, ask('s3:DeleteObject', `${BUCKET}/a.pdf`))).toEqual({
      allowed: false,
      reason: 'explicitly denied by statement NoDeletes of the resource policy',
    });
  });

  it('takes the account as principal to grant nothing by itself, and another role as not this one', () => {
    const local = iam();
    local.addResourcePolicy(TOPIC, [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::000000000000:root' },
        Action: 'sns:Publish',
        Resource: TOPIC,
      },
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::000000000000:role/Other' },
        Action: 'sns:*',
        Resource: TOPIC,
      },
    ]);
    expect(local.decide([], { roleArn: ROLE }, ask('sns:Publish', TOPIC)).allowed).toBe(false);
  });

  it("lets SNS deliver to a queue only as the queue's policy admits that topic", () => {
    const local = iam();
    local.addResourcePolicy(QUEUE, [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: QUEUE,
        Condition: { ArnEquals: { 'aws:SourceArn': TOPIC } },
      },
    ]);
    const delivery = (topic: string) => ask('sqs:SendMessage', QUEUE, { 'aws:SourceArn': [topic] });
    expect(local.serviceMay('sns.amazonaws.com', delivery(TOPIC), 'test')).toBe(true);
    expect(local.serviceMay('sns.amazonaws.com', delivery(`${TOPIC}-other`), 'test')).toBe(false);
    expect(local.denials()).toEqual([
      expect.objectContaining({ function: 'sns.amazonaws.com', action: 'sqs:SendMessage', resource: QUEUE }),
    ]);
  });
});
