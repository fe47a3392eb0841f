// outputs.json: never stale while a run starts, never half written.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCloud, WORKSPACE_ROOT } from '../src/local-cloud';
import { synthCdkExample } from './cdk-example/app';

it("removes the previous run's outputs.json at start and writes the new one whole once ready", async () => {
  // Prepare: the file a previous run left behind.
  const outdir = join(WORKSPACE_ROOT, 'dist', 'test-cdk-example-outputs', 'cdk.out');
  synthCdkExample(outdir);
  const outputsDir = mkdtempSync(join(tmpdir(), 'outputs-'));
  const file = join(outputsDir, 'outputs.json');
  writeFileSync(file, JSON.stringify({ apiUrl: 'http://127.0.0.1:1/stale' }));
  const seenWhileStarting: boolean[] = [];
  // Act
  const cloud = await startLocalCloud({
    cdkOut: outdir,
    outputsDir,
    progress: () => seenWhileStarting.push(existsSync(file)),
  });
  try {
    // Assess
    expect(seenWhileStarting.length).toBeGreaterThan(0);
    expect(seenWhileStarting.every((seen) => !seen)).toBe(true);
    const written = JSON.parse(readFileSync(file, 'utf8')) as { apiUrl: string };
    expect(written.apiUrl).toBe(cloud.outputs.apiUrl);
    expect(readdirSync(outputsDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  } finally {
    await cloud.stop();
  }
}, 120000);
