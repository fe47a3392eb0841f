import { z } from 'zod';

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
export function parseConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) throw new ConfigError([...new Set(result.error.issues.map((i) => i.path.join('.')))]);
  return result.data;
}
