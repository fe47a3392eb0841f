import { build, type Plugin } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(__dirname, '..', '..', '..', '..');
const PDFKIT_MODULE = 'node_modules/pdfkit/js/pdfkit.node.mjs';

/**
 * For the bundling plugins' tests: bundles `source` as the functions are bundled (the workspace's paths,
 * the ES module builds, minified), with the given plugins; the bundle's bytes, inputs and exports.
 */
export async function bundleForTest(source: string, plugins: Plugin[]) {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-shims-'));
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
      // pdfkit finds its data files (fonts, colour profile) from its own module's URL: where it is installed.
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(root, PDFKIT_MODULE)).href) },
      plugins,
    });
    const output = Object.values(result.metafile.outputs)[0]!;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle just written
    const exports = require(join(dir, 'out.js')) as Record<string, (...args: unknown[]) => unknown>;
    return { bytes: output.bytes, inputs: Object.keys(output.inputs), exports };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
