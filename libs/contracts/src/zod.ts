/**
 * The platform's zod: everything of `zod/mini`, the tree-shakable form of the same library (one function
 * per check, so a bundle keeps what it uses: ~38 KiB of zod instead of ~75 in every Lambda bundle, ADR
 * 0012), set up with zod's English messages, which the classic API loads itself and `zod/mini` leaves to
 * its user. Import it as `import * as z from '@order-platform/contracts/zod'`, never `zod` itself (a lint
 * rule holds it), and as a namespace, which is what lets the bundler keep only what is used.
 */
import { config, globalRegistry, type core, type ZodMiniType } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';

/**
 * A copy of `schema` with `metadata` for the JSON Schema and OpenAPI output (classic zod's `.meta()`): a
 * copy, so a shared schema keeps its own, and metadata, not a check, so an object can still be extended.
 */
export function withMeta<T extends ZodMiniType>(schema: T, metadata: core.GlobalMeta): T {
  const copy = schema.clone();
  globalRegistry.add(copy, metadata);
  return copy;
}

/** A copy of `schema` with a description (classic zod's `.describe()`). */
export function described<T extends ZodMiniType>(schema: T, description: string): T {
  return withMeta(schema, { description });
}
