// @ts-check
/**
 * `npx nx g @order-platform/workspace:service <name>`: a new bounded service in the shape of the others —
 * handlers / application (with its fakes in application/testing) / domain / adapters / composition root and
 * config, its stack (table, topic, inbox, outbox publisher, REST API), a sample event contract in
 * libs/contracts (`<Name>ItemCreated` v1, with its sample and schema), and its tests; registered in the CDK
 * app, the platform's topics, the path aliases and the boundary rules. It passes `nx test`, `nx lint`,
 * `nx typecheck` and `nx synth` as generated (tools/workspace/check-generator.sh proves it in `npm test`).
 * Plain JavaScript: Nx loads it without a TypeScript transpiler.
 */
const { formatFiles, generateFiles, names } = require('@nx/devkit');
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

/** Inserts `line` before the line holding `marker` in `file`, once. */
function insertBefore(tree, file, marker, line) {
  const text = tree.read(file, 'utf8');
  if (!text) throw new Error(`${file} not found`);
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`${file} has no marker "${marker}"`);
  const lineStart = text.lastIndexOf('\n', at) + 1;
  if (text.includes(line.trim())) return;
  const indent = text.slice(lineStart, at);
  tree.write(file, `${text.slice(0, lineStart)}${indent}${line.trim()}\n${text.slice(lineStart)}`);
}

/** @param {import('@nx/devkit').Tree} tree @param {{ name: string }} options */
module.exports = async function serviceGenerator(tree, options) {
  const name = options.name;
  if (!/^[a-z][a-z0-9]{2,29}$/.test(name))
    throw new Error(
      `"${name}" is not a service name: 3-30 lower-case letters and digits, starting with a letter`,
    );
  if (tree.exists(`apps/${name}`)) throw new Error(`apps/${name} exists already`);
  const { className } = names(name);
  const eventType = `${className}ItemCreated`;
  const eventFile = `${name}-item-created.v1`;

  generateFiles(tree, join(__dirname, 'files'), `apps/${name}`, { name, className, eventType });

  // The sample event contract, its producer-owned sample, and its place in the registry.
  tree.write(
    `libs/contracts/src/events/${eventFile}.ts`,
    `import * as z from '../zod';
import { eventSchema } from '../envelope';

/** ${name}: an item was created (the generated service's sample event; rename or replace it). */
export const ${eventType}V1 = eventSchema(
  '${eventType}',
  1,
  z.object({
    itemId: z.string().check(z.minLength(1)),
    name: z.string().check(z.minLength(1), z.maxLength(120)),
  }),
);
export type ${eventType}V1 = z.infer<typeof ${eventType}V1>;
`,
  );
  tree.write(
    `libs/contracts/samples/${eventFile}.json`,
    JSON.stringify(
      {
        id: '01JD5Q8M7X3Y9Z0A1B2C3D4E7H',
        type: eventType,
        version: 1,
        source: name,
        occurredAt: '2026-11-23T12:00:00.000Z',
        correlationId: 'corr-sample',
        causationId: null,
        data: { itemId: 'item-1', name: 'First item' },
      },
      null,
      2,
    ) + '\n',
  );
  const registry = 'libs/contracts/src/registry.ts';
  const registryText = tree.read(registry, 'utf8') ?? '';
  if (!registryText.includes('} as const;')) throw new Error(`${registry} has no eventSchemas catalogue`);
  tree.write(
    registry,
    `import { ${eventType}V1 } from './events/${eventFile}';\n` +
      registryText.replace('} as const;', `  '${eventType}.v1': ${eventType}V1,\n} as const;`),
  );
  insertBefore(tree, 'libs/contracts/src/event-types.ts', '// generated events:', `'${eventType}',`);
  const index = 'libs/contracts/src/index.ts';
  tree.write(index, `${tree.read(index, 'utf8')}export * from './events/${eventFile}';\n`);

  // Where the platform learns of the service.
  const paths = 'tsconfig.base.json';
  const tsconfig = JSON.parse(tree.read(paths, 'utf8') ?? '{}');
  tsconfig.compilerOptions.paths[`@order-platform/${name}-stack`] = [`apps/${name}/stack/index.ts`];
  tree.write(paths, JSON.stringify(tsconfig, null, 2) + '\n');
  insertBefore(
    tree,
    'infra/src/app.ts',
    '// generated stacks:',
    `import { ${className}Stack } from '@order-platform/${name}-stack';`,
  );
  insertBefore(
    tree,
    'infra/src/app.ts',
    '// generated services:',
    `['${name}', new ${className}Stack(app, stackName(stage, '${className}'), { env, stage, api: config.api })],`,
  );
  insertBefore(tree, 'infra/src/services.ts', '// generated services:', `'${name}',`);
  insertBefore(tree, 'libs/contracts/src/envelope.ts', '// generated services:', `'${name}',`);
  insertBefore(
    tree,
    'eslint.config.mjs',
    '// generated services:',
    `{ sourceTag: 'scope:${name}', onlyDependOnLibsWithTags: ['scope:shared', 'scope:${name}'] },`,
  );
  await formatFiles(tree);

  // After the files are written: the event's JSON Schema, generated as every other one is.
  return () => {
    execFileSync(
      process.execPath,
      [
        join(tree.root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        'libs/contracts/scripts/schemas.ts',
        'write',
      ],
      {
        cwd: tree.root,
        stdio: 'inherit',
      },
    );
  };
};
