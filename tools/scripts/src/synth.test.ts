import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { withOutdirLock } from './synth';

const tsx = resolve(__dirname, '..', '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** A child process that takes the lock, writes `start`, waits, writes `end`, as two syntheses would. */
function holder(out: string, log: string, name: string): Promise<number> {
  const script = `
    const { appendFileSync } = require('node:fs');
    const { withOutdirLock } = require(${JSON.stringify(join(__dirname, 'synth.ts'))});
    withOutdirLock(${JSON.stringify(out)}, () => {
      appendFileSync(${JSON.stringify(log)}, 'start ${name}\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
      appendFileSync(${JSON.stringify(log)}, 'end ${name}\\n');
    });`;
  return new Promise((done) => {
    const child = spawn(process.execPath, [tsx, '-e', script], { stdio: 'inherit' });
    child.on('exit', (code) => done(code ?? 1));
  });
}

describe('withOutdirLock', () => {
  it('serializes two syntheses of the same assembly folder', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'synth-lock-'));
    const out = join(dir, 'cdk.out', 'dev');
    const log = join(dir, 'log');
    writeFileSync(log, '');
    // Act
    const codes = await Promise.all([holder(out, log, 'a'), holder(out, log, 'b')]);
    // Assess
    expect(codes).toEqual([0, 0]);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]!.replace('start', 'end')).toBe(lines[1]);
    expect(lines[2]!.replace('start', 'end')).toBe(lines[3]);
    expect(existsSync(`${out}.lock`)).toBe(false);
  }, 30_000);

  it('takes over a lock whose holder is gone', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'synth-lock-'));
    const out = join(dir, 'dev');
    mkdirSync(`${out}.lock`);
    writeFileSync(join(`${out}.lock`, 'pid'), '2147483646');
    // Act
    const result = withOutdirLock(out, () => 'ran', 2_000);
    // Assess
    expect(result).toBe('ran');
    expect(existsSync(`${out}.lock`)).toBe(false);
  });
});
