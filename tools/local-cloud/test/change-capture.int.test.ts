// The legacy channel's change capture (issue 13): MariaDB's binlog → Kinesis records in DMS's format.
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { execFileSync } from 'node:child_process';
import mysql from 'mysql2/promise';
import { startChangeCapture, type DmsRecord } from '../src/change-capture';
import { startEmulators, type Emulators } from '../src/emulators';

const hasMariaDb = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v mariadbd || test -x /usr/sbin/mariadbd'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let emulators: Emulators;
let kinesis: KinesisClient;

beforeAll(async () => {
  if (!hasMariaDb)
    throw new Error('MariaDB is required for this test: apt-get install mariadb-server (.ci/run does).');
  emulators = await startEmulators({}, ['mysql', 'kinesis']);
  kinesis = new KinesisClient({
    endpoint: emulators.endpoints.kinesis,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
  });
  await kinesis.send(new CreateStreamCommand({ StreamName: 'legacy', ShardCount: 1 }));
}, 60000);
afterAll(() => emulators?.stop());

/** The MariaDB the emulators started, with the user the change capture reads as. */
const database = () =>
  emulators.info.mysql as { host: string; port: number; user: string; password: string; database: string };

/** The change capture of erp.pedidos into a stream, as the local cloud runs it for a DMS task. */
function captureInto(streamName: string, extra: { fullLoad?: boolean; log?: (line: string) => void } = {}) {
  const db = database();
  return startChangeCapture({
    source: { host: db.host, port: db.port, user: db.user, password: db.password },
    schema: 'erp',
    tables: ['pedidos'],
    kinesisEndpoint: emulators.endpoints.kinesis,
    region: 'us-east-1',
    streamName,
    log: () => undefined,
    ...extra,
  });
}

/** Waits (5 s at most) for at least `count` records on the stream's shard; returns them with their partition keys. */
async function streamRecords(
  StreamName: string,
  count: number,
): Promise<{ records: DmsRecord[]; keys: string[] }> {
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName }));
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({
      StreamName,
      ShardId: Shards![0]!.ShardId!,
      ShardIteratorType: 'TRIM_HORIZON',
    }),
  );
  let found = { records: [] as DmsRecord[], keys: [] as string[] };
  for (let i = 0; i < 50 && found.records.length < count; i++) {
    const res = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    found = {
      records: (res.Records ?? []).map((r) => JSON.parse(Buffer.from(r.Data!).toString('utf8')) as DmsRecord),
      keys: (res.Records ?? []).map((r) => r.PartitionKey!),
    };
    await new Promise((r) => setTimeout(r, 100));
  }
  return found;
}

it('writes each insert and update of erp.pedidos to the stream as DMS does, in order', async () => {
  // Prepare
  const db = database();
  const capture = await captureInto('legacy');
  const sql = await mysql.createConnection({ ...db });
  try {
    // Act
    await sql.query(
      `INSERT INTO pedidos (numero, cliente_email, itens) VALUES ('L-100', 'ana@example.com', '[{"sku":"prod-cafe-500g","quantidade":2}]')`,
    );
    await sql.query(`UPDATE pedidos SET status = 'CONCLUIDO' WHERE numero = 'L-100'`);
    // Assess
    const { records, keys: partitionKeys } = await streamRecords('legacy', 2);
    expect(records.map((r) => [r.metadata.operation, r.data['status']])).toEqual([
      ['insert', 'NOVO'],
      ['update', 'CONCLUIDO'],
    ]);
    expect(records[0]).toMatchObject({
      data: { numero: 'L-100', cliente_email: 'ana@example.com', id: 1 },
      metadata: {
        'record-type': 'data',
        'partition-key-type': 'primary-key',
        'schema-name': 'erp',
        'table-name': 'pedidos',
      },
    });
    expect(JSON.parse(String(records[0]!.data['itens']))).toEqual([{ sku: 'prod-cafe-500g', quantidade: 2 }]);
    expect(partitionKeys).toEqual(['1', '1']);
  } finally {
    capture.stop();
    await sql.end();
  }
}, 60000);

it('writes the rows already there first (full load, as full-load-and-cdc), then the changes', async () => {
  // Prepare: a row before the capture starts, on a stream of its own.
  const db = database();
  await kinesis.send(new CreateStreamCommand({ StreamName: 'legacy-full', ShardCount: 1 }));
  const sql = await mysql.createConnection({ ...db });
  await sql.query(
    `INSERT INTO pedidos (numero, cliente_email, itens) VALUES ('L-200', 'bia@example.com', '[{"sku":"CHA","quantidade":1}]')`,
  );
  // Act
  const capture = await captureInto('legacy-full', { fullLoad: true });
  try {
    await sql.query(
      `INSERT INTO pedidos (numero, cliente_email, itens) VALUES ('L-201', 'bia@example.com', '[{"sku":"CHA","quantidade":2}]')`,
    );
    // Assess: every row of the table loaded (L-100 of the test above included), then the new insert.
    const { records } = await streamRecords('legacy-full', 3);
    expect(records.map((r) => [r.metadata.operation, r.data['numero'], r.data['status']])).toEqual([
      ['load', 'L-100', 'CONCLUIDO'],
      ['load', 'L-200', 'NOVO'],
      ['insert', 'L-201', 'NOVO'],
    ]);
    expect(typeof records[1]!.data['itens']).toBe('string');
  } finally {
    capture.stop();
    await sql.end();
  }
}, 60000);

it('keeps a change Kinesis refuses and writes it, in order, once the stream answers (never drops it)', async () => {
  // Prepare: the capture starts while its stream does not exist yet (Kinesis refuses every put).
  const db = database();
  const logged: string[] = [];
  const capture = await captureInto('legacy-late', { log: (line) => logged.push(line) });
  const sql = await mysql.createConnection({ ...db });
  try {
    // Act: two changes while the stream is missing, then the stream appears.
    await sql.query(
      `INSERT INTO pedidos (numero, cliente_email, itens) VALUES ('L-300', 'cid@example.com', '[{"sku":"CHA","quantidade":1}]')`,
    );
    await sql.query(`UPDATE pedidos SET status = 'CONCLUIDO' WHERE numero = 'L-300'`);
    for (let i = 0; i < 50 && !logged.some((l) => /not written yet \(attempt 2\)/.test(l)); i++)
      await new Promise((r) => setTimeout(r, 100));
    await kinesis.send(new CreateStreamCommand({ StreamName: 'legacy-late', ShardCount: 1 }));
    // A new stream is CREATING, without shards, for a moment (as in Kinesis): read it once it is ACTIVE.
    await waitUntilStreamExists(
      { client: kinesis, maxWaitTime: 30, minDelay: 1 },
      { StreamName: 'legacy-late' },
    );
    // Assess: both refused at first, both written afterwards, in their order.
    expect(logged.some((l) => /not written yet \(attempt 2\)/.test(l))).toBe(true);
    const { records } = await streamRecords('legacy-late', 2);
    expect(records.map((r) => [r.metadata.operation, r.data['numero'], r.data['status']])).toEqual([
      ['insert', 'L-300', 'NOVO'],
      ['update', 'L-300', 'CONCLUIDO'],
    ]);
  } finally {
    capture.stop();
    await sql.end();
  }
}, 60000);
