/**
 * `nx build <service>`: bundles every `apps/<service>/src/handlers/*.handler.ts` into
 * `dist/apps/<service>/<name>/index.js` with esbuild (CommonJS for Node.js 22, minified, source maps,
 * dependencies bundled at the versions the lockfile pins).
 */
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
    // pdfkit loads its data files (ICC profile) next to itself and its standard fonts through a computed
    // `require('#standard-fonts/<name>')`, which no bundler can follow: ship both with the bundle, and
    // map the subpath import in a package.json beside it, as pdfkit's own package.json does.
    if (Object.keys(result.metafile.inputs).some((input) => input.includes('node_modules/pdfkit/'))) {
      const pdfkit = join(root, 'node_modules', 'pdfkit', 'js');
      cpSync(join(pdfkit, 'data'), join(outdir, 'data'), { recursive: true });
      cpSync(join(pdfkit, 'standard-fonts'), join(outdir, 'standard-fonts'), {
        recursive: true,
        filter: (src) => !src.endsWith('.mjs'),
      });
      writeFileSync(
        join(outdir, 'package.json'),
        JSON.stringify(
          { private: true, imports: { '#standard-fonts/*': './standard-fonts/*.cjs' } },
          null,
          2,
        ),
      );
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
