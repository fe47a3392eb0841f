import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { Provisioner } from './provision';
import type { LocalSecretsManager } from './secrets-manager';

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
    operation: 'load' | 'insert' | 'update' | 'delete';
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
  /** Write every row already in the tables first (`load` records), as a full-load-and-cdc task does. */
  fullLoad?: boolean;
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

/** The schema and tables a DMS task's table mappings include (selection rules; `%` is not expanded). */
export function selectedTables(tableMappings: string): { schema: string; tables: string[] }[] {
  const rules = (JSON.parse(tableMappings) as { rules?: Record<string, unknown>[] }).rules ?? [];
  const bySchema = new Map<string, string[]>();
  for (const rule of rules) {
    if (rule['rule-type'] !== 'selection' || rule['rule-action'] !== 'include') continue;
    const locator = rule['object-locator'] as { 'schema-name': string; 'table-name': string };
    bySchema.set(locator['schema-name'], [
      ...(bySchema.get(locator['schema-name']) ?? []),
      locator['table-name'],
    ]);
  }
  return [...bySchema].map(([schema, tables]) => ({ schema, tables }));
}

/**
 * Runs the templates' DMS replication tasks locally: for each task whose source is MySQL/Aurora (its
 * credentials and address in its Secrets Manager secret, as DMS reads them) and whose target is Kinesis,
 * a change capture of the selected tables into that stream, full load first as `full-load-and-cdc` does.
 */
export async function startReplicationTasks(o: {
  provisioner: Provisioner;
  secrets: LocalSecretsManager;
  kinesisEndpoint: string;
  region: string;
  log: (line: string) => void;
}): Promise<{ stop(): void }[]> {
  const endpoints = o.provisioner.byType('AWS::DMS::Endpoint');
  const started: { stop(): void }[] = [];
  for (const task of o.provisioner.byType('AWS::DMS::ReplicationTask')) {
    const p = task.properties;
    const source = endpoints.find((e) => e.ref === p['SourceEndpointArn'])?.properties;
    const target = endpoints.find((e) => e.ref === p['TargetEndpointArn'])?.properties;
    const engine = String(source?.['EngineName'] ?? '');
    const settings = source?.['MySqlSettings'] as { SecretsManagerSecretId?: string } | undefined;
    const streamArn = (target?.['KinesisSettings'] as { StreamArn?: string } | undefined)?.StreamArn;
    const secret = settings?.SecretsManagerSecretId && o.secrets.find(settings.SecretsManagerSecretId);
    if (!['mysql', 'aurora', 'mariadb'].includes(engine) || !streamArn || !secret) {
      o.log(`${task.logicalId}: only MySQL sources (with a secret) to Kinesis run locally; skipped`);
      continue;
    }
    const credentials = JSON.parse(secret.value) as Record<string, string | number>;
    for (const { schema, tables } of selectedTables(String(p['TableMappings'] ?? '{}'))) {
      const capture = await startChangeCapture({
        source: {
          host: String(credentials['host']),
          port: Number(credentials['port']),
          user: String(credentials['username']),
          password: String(credentials['password']),
        },
        schema,
        tables,
        fullLoad: String(p['MigrationType'] ?? '') !== 'cdc',
        kinesisEndpoint: o.kinesisEndpoint,
        region: o.region,
        streamName: streamArn.split(':stream/').pop()!,
        log: o.log,
      });
      o.log(`${task.logicalId}: ${schema}.${tables.join(',')} → ${streamArn.split(':stream/').pop()}`);
      started.push(capture);
    }
  }
  return started;
}
