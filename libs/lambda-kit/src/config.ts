import * as z from '@order-platform/contracts/zod';

export class ConfigError extends Error {
  constructor(readonly variables: string[]) {
    super(`Invalid or missing environment variables: ${variables.join(', ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once, at start-up, with a zod object schema. A missing or malformed variable
 * fails with its name rather than at the first request that needs it.
 */
export function parseConfig<S extends z.ZodMiniObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError([...new Set(result.error.issues.map((i) => i.path.join('.')))]);
  return result.data;
}

/**
 * A value built on first use and kept for the life of the sandbox: how composition roots build clients,
 * adapters and configuration sections only in the functions that use them (a function's missing setting
 * fails its own cold start, not another's).
 */
export function lazy<T>(build: () => T): () => T {
  let built = false;
  let value: T;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value;
  };
}

/** A section of the environment, parsed on first use (see `parseConfig`). */
export function configSection<S extends z.ZodMiniObject>(schema: S): () => z.infer<S> {
  return lazy(() => parseConfig(schema));
}
