import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Pool, PoolOptions, ResultSetHeader } from 'mysql2/promise';
import type { LegacyStatusWriter } from '../application/legacy-intake.use-case';
import { rdsCertificateAuthorities } from './rds-certificates';

/** What an RDS secret holds (the shape Secrets Manager's RDS integration writes). */
interface DatabaseSecret {
  host: string;
  port?: number | string;
  username: string;
  password: string;
  dbname?: string;
}

/**
 * The connection options of the legacy database from its Secrets Manager secret, read once per sandbox.
 * With `tls: 'rds'` the connection is encrypted and the server checked against Amazon RDS's CAs.
 */
export function secretConnection(
  client: SecretsManagerClient,
  secretArn: string,
  tls: 'rds' | 'off',
): () => Promise<PoolOptions> {
  return async () => {
    const res = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const secret = JSON.parse(res.SecretString ?? '{}') as Partial<DatabaseSecret>;
    if (!secret.host || !secret.username || !secret.password)
      throw new Error('The legacy database secret lacks host, username or password');
    return {
      host: secret.host,
      port: Number(secret.port ?? 3306),
      user: secret.username,
      password: secret.password,
      database: secret.dbname ?? 'erp',
      connectionLimit: 2,
      connectTimeout: 5000,
      // What mysql2's `ssl: 'Amazon RDS'` profile sets, from the file shipped with the bundle.
      ...(tls === 'rds' ? { ssl: { ca: await rdsCertificateAuthorities() } } : {}),
    };
  };
}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'ER_ACCESS_DENIED_ERROR',
]);

/**
 * Writes an order's outcome to its row of the legacy table (`UPDATE ... SET status = ? WHERE numero = ?`).
 * The pool is built on first use and kept for the sandbox; mysql2 is loaded only here, by the one function
 * that writes back.
 */
export class MysqlLegacyStatusWriter implements LegacyStatusWriter {
  private pool?: Promise<Pool>;

  constructor(
    private readonly connection: () => Promise<PoolOptions>,
    private readonly table = 'pedidos',
  ) {
    if (!/^[A-Za-z0-9_]+$/.test(table)) throw new Error(`Not a table name: ${table}`);
  }

  async write(numero: string, status: string): Promise<boolean> {
    if (!this.pool) {
      const building = this.connection().then(async (options) => {
        const mysql = await import('mysql2/promise');
        return mysql.createPool(options);
      });
      // A secret that could not be read is read again on the next attempt.
      building.catch(() => (this.pool = undefined));
      this.pool = building;
    }
    const pool = await this.pool;
    try {
      // Writing the status a row already has is harmless; mysql2 counts the row as found either way.
      const [result] = await pool.execute<ResultSetHeader>(
        `UPDATE \`${this.table}\` SET status = ? WHERE numero = ?`,
        [status, numero],
      );
      return result.affectedRows > 0;
    } catch (error) {
      // The database unreachable or the password refused (rotated?): the next attempt reads the secret
      // again and builds a new pool.
      if (CONNECTION_ERRORS.has(String((error as { code?: string }).code))) {
        this.pool = undefined;
        await pool.end().catch(() => undefined);
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.pool) await (await this.pool).end();
  }
}
