// The legacy channel's change capture (issue 13): MariaDB's binlog → Kinesis records in DMS's format.
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
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

it('writes each insert and update of erp.pedidos to the stream as DMS does, in order', async () => {
  // Prepare
  const db = emulators.info.mysql as {
    host: string;
    port: number;
    user: string;
    password: string;
    database: string;
  };
  const capture = await startChangeCapture({
    source: { host: db.host, port: db.port, user: db.user, password: db.password },
    schema: 'erp',
    tables: ['pedidos'],
    kinesisEndpoint: emulators.endpoints.kinesis,
    region: 'us-east-1',
    streamName: 'legacy',
    log: () => undefined,
  });
  const sql = await mysql.createConnection({ ...db });
  try {
    // Act
    await sql.query(
      `INSERT INTO pedidos (numero, cliente_email, itens) VALUES ('L-100', 'ana@example.com', '[{"sku":"prod-cafe-500g","quantidade":2}]')`,
    );
    await sql.query(`UPDATE pedidos SET status = 'CONCLUIDO' WHERE numero = 'L-100'`);
    // Assess
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: 'legacy' }));
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: 'legacy',
        ShardId: Shards![0]!.ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    let records: DmsRecord[] = [];
    let partitionKeys: string[] = [];
    for (let i = 0; i < 50 && records.length < 2; i++) {
      const res = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      records = (res.Records ?? []).map(
        (r) => JSON.parse(Buffer.from(r.Data!).toString('utf8')) as DmsRecord,
      );
      partitionKeys = (res.Records ?? []).map((r) => r.PartitionKey!);
      await new Promise((r) => setTimeout(r, 100));
    }
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
