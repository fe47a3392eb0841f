import type { OnResolveArgs, Plugin } from 'esbuild';
import { join } from 'node:path';

/**
 * Packages whose modules only define things when imported (no registration, no patching): marked free of
 * side effects so esbuild drops what a handler never reaches — the Stripe SDK from every function but the
 * saga's, the API Gateway client from all but the partner admin routes, the JWT verifier from all but the
 * dashboard's authorizer (its modules define classes, regular expressions and enums, nothing else). The
 * composition roots mark their lazy factories `@__PURE__` for the same reason.
 *
 * The platform's contracts (`libs/contracts`) are the same: schemas and functions, nothing else. A function
 * keeps the modules it uses (the REST contract for an API route, the event schemas for a consumer) and
 * builds none of the others' zod schemas at init: an outbox publisher no longer carries the REST contract.
 * Their `.meta({ id })` entries in zod's global registry are read only by the OpenAPI generator, which
 * imports them all.
 */
const PURE_PACKAGES =
  /^(stripe|zod|pdfkit|aws-jwt-verify|@aws-sdk\/client-[a-z0-9-]+|@aws-sdk\/lib-dynamodb)(\/|$)/;
const CONTRACTS = join('libs', 'contracts', 'src');

export const pureDependencies: Plugin = {
  name: 'pure-dependencies',
  setup(b) {
    const resolve = (args: OnResolveArgs) =>
      b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { resolving: true },
      });
    b.onResolve({ filter: PURE_PACKAGES }, async (args) => {
      if (args.pluginData?.['resolving']) return undefined;
      const resolved = await resolve(args);
      return resolved.errors.length ? undefined : { ...resolved, sideEffects: false };
    });
    b.onResolve({ filter: /^(@order-platform\/contracts$|\.\.?\/)/ }, async (args) => {
      if (args.pluginData?.['resolving']) return undefined;
      if (args.path.startsWith('.') && !args.importer.includes(CONTRACTS)) return undefined;
      const resolved = await resolve(args);
      return resolved.errors.length || !resolved.path.includes(CONTRACTS)
        ? undefined
        : { ...resolved, sideEffects: false };
    });
  },
};
