import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordCommand,
} from '@aws-sdk/client-kinesis';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { startPlatform, type Platform } from './platform';

// The legacy channel (issue 13, seed 004) on the local cloud: MariaDB stands in for Aurora, the change
// capture for DMS, kinesalite for Kinesis; the consumer and the write-back are the functions AWS runs.
let p: Platform;
let db: mysql.Connection;

beforeAll(async () => {
  p = await startPlatform();
  const legacy = p.cloud.outputs.legacy;
  if (!legacy) throw new Error('No legacy database: MariaDB is required (apt-get install mariadb-server).');
  db = await mysql.createConnection({ ...legacy.mysql });
}, 180000);
afterAll(async () => {
  await db?.end();
  await p?.cloud.stop();
});

interface OrderView {
  orderId: string;
  status: string;
  channel: string;
  externalRef?: string;
  statusHistory: { status: string; reason?: string }[];
}

const statusOf = async (numero: string) => {
  const [rows] = await db.query<mysql.RowDataPacket[]>('SELECT status FROM pedidos WHERE numero = ?', [
    numero,
  ]);
  return rows[0]?.['status'] as string | undefined;
};

/** The admin's view of every legacy order with this numero (the list, then each order). */
const legacyOrders = async (numero: string): Promise<OrderView[]> => {
  const token = await p.token('admin');
  const list = await p.call('GET', '/orders?limit=100', { token });
  expect(list.status).toBe(200);
  const ids = (list.body.items as unknown as OrderView[])
    .filter((o) => o.channel === 'legacy' && o.externalRef === numero)
    .map((o) => o.orderId);
  const orders = [];
  for (const id of ids)
    orders.push((await p.call('GET', `/orders/${id}`, { token })).body as unknown as OrderView);
  return orders;
};

const untilFinal = (numero: string, legacyStatus: string) =>
  p.waitFor(async () => {
    const [order] = await legacyOrders(numero);
    const row = await statusOf(numero);
    return order && ['COMPLETED', 'REJECTED', 'CANCELLED'].includes(order.status) && row === legacyStatus
      ? order
      : undefined;
  }, 90000);

describe('legacy channel', () => {
  it('turns a row inserted with the mysql client into a completed order an admin sees, and writes CONCLUIDO back', async () => {
    // Prepare
    const { host, port, user, password, database } = p.cloud.outputs.legacy!.mysql;
    // Act: the legacy system's own client, as an operator would.
    await promisify(execFile)('mysql', [
      `--host=${host}`,
      `--port=${port}`,
      `--user=${user}`,
      `--password=${password}`,
      database,
      '-e',
      `INSERT INTO pedidos (numero, cliente_email, itens) VALUES ('ERP-5001', 'joana@example.com', '[{"sku":"CAFE-500G","quantidade":2}]')`,
    ]);
    // Assess
    const order = await untilFinal('ERP-5001', 'CONCLUIDO');
    expect(order).toMatchObject({ status: 'COMPLETED', channel: 'legacy', externalRef: 'ERP-5001' });
    expect(await legacyOrders('ERP-5001')).toHaveLength(1);
  });

  it('makes one order of a change delivered twice (the same Kinesis record again)', async () => {
    // Prepare: a row through to its outcome, then its record found on the stream.
    await db.query(
      `INSERT INTO pedidos (numero, cliente_email, itens) VALUES ('ERP-5002', 'joao@example.com', '[{"sku":"ARROZ-5KG","quantidade":1}]')`,
    );
    await untilFinal('ERP-5002', 'CONCLUIDO');
    const kinesis = p.cloud.clients.kinesis;
    const streamArn = Object.entries(p.cloud.outputs.resources).find(([k]) =>
      k.includes('LegacyChanges'),
    )![1];
    const streamName = streamArn.split(':stream/').pop()!;
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: Shards![0]!.ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
    const insert = Records!.find((r) => {
      const change = JSON.parse(Buffer.from(r.Data!).toString('utf8')) as {
        data: { numero: string };
        metadata: { operation: string };
      };
      return change.data.numero === 'ERP-5002' && change.metadata.operation === 'insert';
    })!;
    expect(insert).toBeDefined();
    // Act: delivered again, twice, as a DMS restart or a retry would.
    for (let i = 0; i < 2; i++)
      await kinesis.send(
        new PutRecordCommand({
          StreamName: streamName,
          PartitionKey: insert.PartitionKey!,
          Data: insert.Data!,
        }),
      );
    // Assess: once the redeliveries are consumed (a later row made it through), still one order.
    await db.query(
      `INSERT INTO pedidos (numero, cliente_email, itens) VALUES ('ERP-5003', 'joao@example.com', '[{"sku":"CAFE-500G","quantidade":1}]')`,
    );
    await untilFinal('ERP-5003', 'CONCLUIDO');
    const orders = await legacyOrders('ERP-5002');
    expect(orders).toHaveLength(1);
    expect(orders[0]!.status).toBe('COMPLETED');
  });

  it.each([
    ['items of another shape', 'ERP-5004', '{"sku": 1}', 'itens'],
    ['an unknown SKU', 'ERP-5005', '[{"sku":"NAO-EXISTE","quantidade":1}]', ''],
  ])(
    'makes a row with %s a REJECTED order with its reason, and writes REJEITADO back',
    async (_case, numero, itens, reason) => {
      // Act
      await db.query('INSERT INTO pedidos (numero, cliente_email, itens) VALUES (?, ?, ?)', [
        numero,
        'ana@example.com',
        itens,
      ]);
      // Assess
      const order = await untilFinal(numero, 'REJEITADO');
      expect(order).toMatchObject({ status: 'REJECTED', channel: 'legacy', externalRef: numero });
      const rejected = order.statusHistory.find((s) => s.status === 'REJECTED')!;
      expect(rejected.reason).toBeTruthy();
      expect(rejected.reason).toContain(reason);
    },
  );
});

describe('legacy channel failures', () => {
  it('keeps a record it cannot read in the stream’s on-failure destination, and the rows after it still flow', async () => {
    // Prepare
    const kinesis = p.cloud.clients.kinesis;
    const streamArn = Object.entries(p.cloud.outputs.resources).find(([k]) =>
      k.includes('LegacyChanges'),
    )![1];
    // The stream's on-failure destination (Legacy/Dlq), not the write-back inbox's DLQ.
    const dlqUrl = Object.entries(p.cloud.outputs.resources).find(([k]) =>
      /\/LegacyDlq[0-9A-F]{8}$/.test(k),
    )![1];
    // Act: something that is not a DMS record, then a good row.
    await kinesis.send(
      new PutRecordCommand({
        StreamName: streamArn.split(':stream/').pop()!,
        PartitionKey: '9999',
        Data: Buffer.from('not json at all'),
      }),
    );
    await db.query(
      `INSERT INTO pedidos (numero, cliente_email, itens) VALUES ('ERP-5006', 'ana@example.com', '[{"sku":"CAFE-500G","quantidade":1}]')`,
    );
    // Assess: the bad record is kept with where it was (KinesisBatchInfo); the good row completes.
    const kept = await p.waitFor(async () => {
      const { Messages } = await p.cloud.clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      return Messages?.length ? Messages : undefined;
    }, 90000);
    expect(JSON.parse(kept[0]!.Body!)).toMatchObject({ KinesisBatchInfo: { streamArn } });
    await untilFinal('ERP-5006', 'CONCLUIDO');
  });
});
