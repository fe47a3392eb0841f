import { fork } from 'node:child_process';
import { join } from 'node:path';

/** Where the legacy database listens and who may read its binlog. */
export interface MysqlSource {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** One change as AWS DMS writes it to a Kinesis data stream (JSON message format). */
export interface DmsRecord {
  data: Record<string, unknown>;
  metadata: {
    timestamp: string;
    'record-type': 'data';
    operation: 'insert' | 'update' | 'delete';
    'partition-key-type': 'primary-key';
    'schema-name': string;
    'table-name': string;
    'transaction-id': number;
  };
}

/**
 * What AWS DMS does for the legacy channel: a child process (change-capture-worker.mjs) that follows the
 * database's binlog and writes each row change of the tables to the Kinesis stream in DMS's format, so the
 * consumer cannot tell the local path from the real one. Resolves once it reads the binlog.
 */
export async function startChangeCapture(o: {
  source: MysqlSource;
  schema: string;
  tables: string[];
  kinesisEndpoint: string;
  region: string;
  streamName: string;
  /** The column whose value partitions the stream (the primary key; `id` by default). */
  primaryKey?: string;
  log: (line: string) => void;
}): Promise<{ stop(): void }> {
  const { log, ...config } = o;
  const child = fork(join(__dirname, 'change-capture-worker.mjs'), [], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    execArgv: [],
    env: { ...process.env, CHANGE_CAPTURE_CONFIG: JSON.stringify(config), NODE_NO_WARNINGS: '1' },
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the change capture did not start within 20 s')), 20000);
    child.on('message', (m: { ready?: boolean; log?: string }) => {
      if (m.log) log(m.log);
      if (m.ready) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the change capture exited (${code}): ${stderr.trim().slice(-400)}`));
    });
  });
  child.removeAllListeners('exit');
  return { stop: () => child.kill('SIGKILL') };
}
