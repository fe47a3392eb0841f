/**
 * The command lines of the workspace's scripts (`npm run bench`, `chaos`, `outbox:replay`), read as the
 * local cloud's own (`npm start`) is: strictly, so a misspelt option or a value that is not a number is
 * refused with what is wrong and the usage (exit 2) instead of running with `NaN` or a stack trace, and
 * `--help` lists every option with its default.
 */
import { CliUsageError, strictArgs } from '@order-platform/local-cloud';

export type OptionSpec =
  | { type: 'integer' | 'number'; default: number; min: number; describe: string }
  | { type: 'string'; default?: string; describe: string; oneOf?: readonly string[] }
  | { type: 'boolean'; describe: string };

type Values<T extends Record<string, OptionSpec>> = {
  [K in keyof T]: T[K] extends { type: 'boolean' }
    ? boolean
    : T[K] extends { type: 'string'; default: string }
      ? string
      : T[K] extends { type: 'string' }
        ? string | undefined
        : number;
};

/** A command line the script cannot run: what is wrong. */
export class UsageError extends Error {}

/** The options, one a line, with their defaults and `-h, --help` last. */
export function usage(options: Record<string, OptionSpec>): string {
  const lines = Object.entries(options).map(([name, o]) => {
    const flag = `--${name}${o.type === 'boolean' ? '' : o.type === 'string' ? ' <text>' : ' N'}`;
    const fallback = 'default' in o && o.default !== undefined ? ` (${o.default})` : '';
    return `  ${flag.padEnd(24)}${o.describe}${fallback}`;
  });
  return ['Options:', ...lines, `  ${'-h, --help'.padEnd(24)}show this`].join('\n');
}

/** Reads `argv` against `options`; throws UsageError for an unknown option, a stray word or a bad value. */
export function parseCommandLine<T extends Record<string, OptionSpec>>(
  argv: string[],
  options: T,
): Values<T> & { help: boolean } {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = strictArgs(
      argv,
      Object.fromEntries(
        Object.entries(options).map(([name, o]) => [
          name,
          { type: o.type === 'boolean' ? ('boolean' as const) : ('string' as const) },
        ]),
      ),
    );
  } catch (error) {
    if (error instanceof CliUsageError) throw new UsageError(error.message);
    throw error;
  }
  const read: Record<string, unknown> = { help: values['help'] === true };
  for (const [name, o] of Object.entries(options)) {
    const raw = values[name];
    if (o.type === 'boolean') read[name] = raw === true;
    else if (o.type === 'string') {
      const text = (raw as string | undefined) ?? o.default;
      if (text !== undefined && o.oneOf && !o.oneOf.includes(text))
        throw new UsageError(`--${name} takes ${o.oneOf.join(', ')}, not "${text}"`);
      read[name] = text;
    } else if (raw === undefined) read[name] = o.default;
    else {
      const n = Number(raw);
      const shape = o.type === 'integer' ? /^\d+$/ : /^\d+(\.\d+)?$/;
      if (!shape.test(String(raw)) || n < o.min)
        throw new UsageError(
          `--${name} takes ${o.type === 'integer' ? 'a whole number' : 'a number'} of at least ${o.min}, not "${String(raw)}"`,
        );
      read[name] = n;
    }
  }
  return read as Values<T> & { help: boolean };
}

/**
 * The command line of a script: its values, or — for `--help` — the usage printed and exit 0, or — for a
 * command line it cannot run — what is wrong and the usage on stderr and exit 2.
 */
export function commandLine<T extends Record<string, OptionSpec>>(
  title: string,
  options: T,
  argv = process.argv.slice(2),
): Values<T> {
  try {
    const values = parseCommandLine(argv, options);
    if (values.help) {
      console.log(`${title}\n\n${usage(options)}`);
      process.exit(0);
    }
    return values;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage(options)}`);
    process.exit(2);
  }
}
