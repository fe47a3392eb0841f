import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pureDependencies } from './pure-dependencies';

const root = resolve(__dirname, '..', '..', '..', '..');

/** Bundles `source` as the functions are bundled, with or without the plugin: its inputs and exports. */
async function bundle(source: string, withPlugin: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'pure-dependencies-'));
  try {
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, source);
    const result = await build({
      entryPoints: [entry],
      outfile: join(dir, 'out.js'),
      absWorkingDir: root,
      nodePaths: [join(root, 'node_modules')],
      tsconfig: join(root, 'tsconfig.base.json'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      minify: true,
      metafile: true,
      mainFields: ['module', 'main'],
      logLevel: 'silent',
      plugins: withPlugin ? [pureDependencies] : [],
    });
    const output = Object.values(result.metafile.outputs)[0]!;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle just written
    const exports = require(join(dir, 'out.js')) as Record<string, (...args: unknown[]) => unknown>;
    return { bytes: output.bytes, inputs: Object.keys(output.inputs), exports };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the side-effect-free modules of a function bundle', () => {
  it("leave the contracts' modules a function does not use out of its bundle, and keep the ones it does", async () => {
    // Prepare: an event consumer, which validates events and answers no REST route.
    const source = `import { parseEvent } from '@order-platform/contracts';
      export const parse = (input: unknown) => parseEvent(input);`;
    const event = {
      id: 'evt-1',
      type: 'OrderProcessing',
      version: 1,
      source: 'pedidos',
      occurredAt: '2026-12-07T10:00:00.000Z',
      correlationId: 'ord-1',
      causationId: null,
      data: {
        orderId: 'ord-1',
        customerId: 'cus-1',
        items: [{ productId: 'prod-1', quantity: 1, unitPrice: 990 }],
        total: 990,
      },
    };
    // Act
    const plain = await bundle(source, false);
    const trimmed = await bundle(source, true);
    // Assess
    const rest = (inputs: string[]) => inputs.filter((i) => i.endsWith('libs/contracts/src/api/rest.ts'));
    expect(rest(plain.inputs)).toHaveLength(1);
    expect(rest(trimmed.inputs)).toHaveLength(0);
    expect(trimmed.inputs).toContain('libs/contracts/src/events/order-processing.v1.ts');
    expect(plain.bytes).toBeGreaterThan(trimmed.bytes);
    expect(trimmed.exports['parse']!(event)).toMatchObject({
      type: 'OrderProcessing',
      data: { orderId: 'ord-1' },
    });
    expect(() => trimmed.exports['parse']!({ ...event, type: 'Unheard' })).toThrow(
      /No schema for event Unheard\.v1/,
    );
  }, 60_000);
});
