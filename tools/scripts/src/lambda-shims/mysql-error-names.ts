import type { Plugin } from 'esbuild';

/** mysql2's table of the server's error numbers and names, wherever it is installed. */
export const MYSQL_ERRORS_MODULE = /node_modules[\\/]mysql2[\\/]lib[\\/]constants[\\/]errors\.js$/;

/**
 * mysql2's error table (`lib/constants/errors.js`: each of ~2,000 MySQL error numbers to its name and each
 * name to its number, as two assignments) is ~145 KiB of the legacy write-back's bundle, minified. The
 * same table is written here as one string of names in number order (a run of consecutive numbers takes
 * only its first number, the common `ER_` prefix is one character) and the object built from it when the
 * module loads (~0.3 ms): the same keys and values, generated at build time from the installed module, so
 * an upgrade of mysql2 brings its own table. `never-run.test.ts` holds it equal to the original.
 */
export function compactErrorTable(table: Record<string, string | number>): string {
  const numbers = Object.keys(table)
    .filter((k) => /^\d+$/.test(k))
    .map(Number)
    .sort((a, b) => a - b);
  const parts: string[] = [];
  let previous = Number.NaN;
  for (const n of numbers) {
    const name = String(table[n]);
    if (name.includes(',') || name.includes('@') || name.startsWith('~'))
      throw new Error(`mysql2 error name ${name} cannot be written compactly`);
    parts.push(`${n === previous + 1 ? '' : `@${n},`}${name.replace(/^ER_/, '~')}`);
    previous = n;
  }
  // A name that more than one number carries keeps the number the original assigns it.
  const byName: Record<string, number> = {};
  for (const n of numbers) byName[String(table[n])] = n;
  const overrides = Object.fromEntries(
    Object.entries(table).filter(([k, v]) => !/^\d+$/.test(k) && byName[k] !== v),
  );
  return `'use strict';
let n = 0;
for (const part of ${JSON.stringify(parts.join(','))}.split(',')) {
  if (part[0] === '@') { n = Number(part.slice(1)); continue; }
  const name = part[0] === '~' ? 'ER_' + part.slice(1) : part;
  exports[name] = n;
  exports[n] = name;
  n += 1;
}
Object.assign(exports, ${JSON.stringify(overrides)});
`;
}

export const mysqlErrorNames: Plugin = {
  name: 'mysql-error-names',
  setup(b) {
    b.onLoad({ filter: MYSQL_ERRORS_MODULE }, (args) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed table, read at build time
      const table = require(args.path) as Record<string, string | number>;
      return { contents: compactErrorTable(table), loader: 'js' };
    });
  },
};
