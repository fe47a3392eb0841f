// The local stand-in for AWS DMS (full load aside: the local database starts empty): a child process of the
// local cloud that reads the MySQL/MariaDB binlog (ROW format) from its current end and writes each insert,
// update and delete of the given tables to a Kinesis stream as DMS does (JSON message format: `data` and
// `metadata`, partitioned by the primary key), in binlog order. It reports readiness over IPC and exits with
// its parent. Plain ESM, outside any test transform: the binlog reader is an ES module.
import ZongJi from '@vlasky/zongji';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

const o = JSON.parse(process.env.CHANGE_CAPTURE_CONFIG);
const kinesis = new KinesisClient({
  endpoint: o.kinesisEndpoint,
  region: o.region,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  requestHandler: new NodeHttpHandler(),
});
process.on('disconnect', () => process.exit(0));

/** A change in DMS's shape (MariaDB's JSON columns are text, as DMS sends them). */
function dmsRecord(operation, schema, table, row, at, transactionId) {
  const data = Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      v instanceof Date ? v.toISOString().replace('T', ' ').replace('Z', '') : v,
    ]),
  );
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
    // A change is written or retried (the stream down, throttled), never dropped; later ones wait their turn.
    chain = chain.then(async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await kinesis.send(
            new PutRecordCommand({
              StreamName: o.streamName,
              PartitionKey: String(image[o.primaryKey || 'id'] ?? table.tableName),
              Data: Buffer.from(JSON.stringify(record)),
            }),
          );
          process.send?.({ written: 1 });
          return;
        } catch (error) {
          process.send?.({
            log: `change of ${table.tableName} not written yet (attempt ${attempt}): ${error.message}`,
          });
          await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
        }
      }
    });
  }
});
zongji.on('error', (error) => process.send?.({ log: `binlog reader: ${error.message}` }));
zongji.on('ready', () => process.send?.({ ready: true }));
zongji.start({
  includeEvents: ['tablemap', 'writerows', 'updaterows', 'deleterows'],
  includeSchema: { [o.schema]: o.tables },
  startAtEnd: true,
  serverId: 1000 + Math.floor(Math.random() * 1000),
});
