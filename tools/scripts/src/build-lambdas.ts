/**
 * `nx build <service>`: bundles every `apps/<service>/src/handlers/*.handler.ts` into
 * `dist/apps/<service>/<name>/index.js` with esbuild (CommonJS for Node.js 22, minified, source maps,
 * dependencies bundled at the versions the lockfile pins).
 */
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');
const service = process.argv[2];
if (!service) {
  console.error('Usage: build-lambdas <service>');
  process.exit(2);
}
const handlersDir = join(root, 'apps', service, 'src', 'handlers');
const outRoot = join(root, 'dist', 'apps', service);
const entries = readdirSync(handlersDir).filter((f) => f.endsWith('.handler.ts'));

async function main(): Promise<void> {
  rmSync(outRoot, { recursive: true, force: true });
  const started = Date.now();
  let i = 0;
  for (const file of entries) {
    const name = file.replace(/\.handler\.ts$/, '');
    const outdir = join(outRoot, name);
    mkdirSync(outdir, { recursive: true });
    const result = await build({
      entryPoints: [join(handlersDir, file)],
      outfile: join(outdir, 'index.js'),
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      legalComments: 'none',
      tsconfig: join(root, 'tsconfig.base.json'),
      metafile: true,
      // ESM dependencies (pdfkit) locate their data files from import.meta.url, which CommonJS lacks.
      banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
      define: { 'import.meta.url': '__importMetaUrl' },
      logLevel: 'warning',
    });
    // pdfkit reads its standard font metrics from `__dirname/data` at run time: ship them with the bundle.
    if (Object.keys(result.metafile.inputs).some((input) => input.includes('node_modules/pdfkit/'))) {
      cpSync(join(root, 'node_modules', 'pdfkit', 'js', 'data'), join(outdir, 'data'), { recursive: true });
    }
    const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + (o.bytes ?? 0), 0);
    i += 1;
    console.log(`[${i}/${entries.length}] ${service}/${name}: ${(bytes / 1024).toFixed(0)} KiB`);
  }
  console.log(`${service}: ${entries.length} handlers bundled in ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
