// `--inspect <function>`: a debugger can attach to that function's sandbox.
import { join } from 'node:path';
import { startLocalCloud, WORKSPACE_ROOT } from '../src/local-cloud';
import { synthCdkExample } from './cdk-example/app';

it("opens the named function's sandbox to a debugger on 127.0.0.1, and no other", async () => {
  // Prepare
  const outdir = join(WORKSPACE_ROOT, 'dist', 'test-cdk-example-inspect', 'cdk.out');
  synthCdkExample(outdir);
  const cloud = await startLocalCloud({ cdkOut: outdir, outputsDir: null, inspect: 'getone' });
  try {
    // Act: the first call starts the sandbox, under the inspector.
    const res = await fetch(`${cloud.outputs.apiUrl}/items/none`);
    const targets = (await (await fetch('http://127.0.0.1:9229/json/list')).json()) as { url: string }[];
    // Assess
    expect(res.status).toBe(404);
    expect(cloud.outputs.inspect).toEqual([
      { function: expect.stringMatching(/getone/i), url: 'ws://127.0.0.1:9229' },
    ]);
    expect(targets.map((t) => t.url).join(' ')).toMatch(/lambda-worker\.cjs/);
  } finally {
    await cloud.stop();
  }
}, 120000);
