// The local stand-in for AWS DMS: a child process of the local cloud that writes every row of the tables
// first (full load, `load` records, when asked), then reads the MySQL/MariaDB binlog (ROW format) from the
// end it found and writes each insert, update and delete of the given tables to a Kinesis stream as DMS does (JSON message format: `data` and
// `metadata`, partitioned by the primary key), in binlog order. It reports readiness over IPC and exits with
// its parent. Plain ESM, outside any test transform: the binlog reader is an ES module.
import ZongJi from '@vlasky/zongji';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import mysql from 'mysql2/promise';

const o = JSON.parse(process.env.CHANGE_CAPTURE_CONFIG);
const kinesis = new KinesisClient({
  endpoint: o.kinesisEndpoint,
  region: o.region,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  requestHandler: new NodeHttpHandler(),
});
process.on('disconnect', () => process.exit(0));

/** A column's value as DMS writes it: timestamps as text, JSON columns as text (MySQL's parsed, MariaDB's not). */
function dmsValue(v) {
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (v && typeof v === 'object') return JSON.stringify(v);
  return v;
}

/** A change in DMS's shape. */
function dmsRecord(operation, schema, table, row, at, transactionId) {
  const data = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, dmsValue(v)]));
  return {
    data,
    metadata: {
      timestamp: at.toISOString().replace('Z', '000Z'),
      'record-type': 'data',
      operation,
      'partition-key-type': 'primary-key',
      'schema-name': schema,
      'table-name': table,
      'transaction-id': transactionId,
    },
  };
}

const zongji = new ZongJi({ ...o.source, charset: 'utf8mb4' });
let chain = Promise.resolve();
zongji.on('binlog', (e) => {
  const operation = { writerows: 'insert', updaterows: 'update', deleterows: 'delete' }[e.getEventName()];
  const table = operation && e.tableMap[e.tableId];
  if (!table) return;
  for (const row of e.rows) {
    const image = row && row.after && row.before ? row.after : row;
    const record = dmsRecord(
      operation,
      table.parentSchema,
      table.tableName,
      image,
      new Date(e.timestamp),
      e.nextPosition,
    );
    write(table.tableName, image, record);
  }
});

/** Writes one record, retried (the stream down, throttled), never dropped; later ones wait their turn. */
function write(tableName, image, record) {
  chain = chain.then(async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await kinesis.send(
          new PutRecordCommand({
            StreamName: o.streamName,
            PartitionKey: String(image[o.primaryKey || 'id'] ?? tableName),
            Data: Buffer.from(JSON.stringify(record)),
          }),
        );
        process.send?.({ written: 1 });
        return;
      } catch (error) {
        process.send?.({
          log: `change of ${tableName} not written yet (attempt ${attempt}): ${error.message}`,
        });
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  });
}

/** The full load: every row of each table as a `load` record, in primary-key order, before any change. */
async function fullLoad() {
  const db = await mysql.createConnection({ ...o.source, database: o.schema, dateStrings: false });
  try {
    for (const table of o.tables) {
      const [rows] = await db.query(`SELECT * FROM \`${table}\` ORDER BY \`${o.primaryKey || 'id'}\``);
      for (const row of rows) write(table, row, dmsRecord('load', o.schema, table, row, new Date(), 0));
      process.send?.({ log: `full load of ${o.schema}.${table}: ${rows.length} row(s)` });
    }
  } finally {
    await db.end();
  }
}
zongji.on('error', (error) => process.send?.({ log: `binlog reader: ${error.message}` }));
zongji.on('ready', () => {
  // Changes that come while the table is read queue behind its rows (a row may come twice: as DMS,
  // at least once).
  const loaded = o.fullLoad
    ? fullLoad().catch((error) => process.send?.({ log: `full load failed: ${error.message}` }))
    : Promise.resolve();
  chain = chain.then(() => loaded);
  loaded.then(() => process.send?.({ ready: true }));
});
zongji.start({
  includeEvents: ['tablemap', 'writerows', 'updaterows', 'deleterows'],
  includeSchema: { [o.schema]: o.tables },
  startAtEnd: true,
  serverId: 1000 + Math.floor(Math.random() * 1000),
});
