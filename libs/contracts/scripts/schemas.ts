/**
 * Writes (`write`) or checks (`check`) the JSON Schemas generated from the zod event schemas.
 * `check` fails when a committed schema is missing or changed incompatibly within its major version
 * (see `compatibility.ts`); a compatible change only asks for `nx run contracts:schemas`.
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as z from '../src/zod';
import { eventSchemas } from '../src/registry';
import { incompatibilities } from '../src/compatibility';

const dir = join(__dirname, '..', 'schemas');
const mode = process.argv[2] ?? 'check';
const problems: string[] = [];
const stale: string[] = [];

mkdirSync(dir, { recursive: true });
for (const [key, schema] of Object.entries(eventSchemas)) {
  const file = join(dir, `${key}.schema.json`);
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  const text = JSON.stringify(generated, null, 2) + '\n';
  if (mode === 'write') {
    if (existsSync(file)) {
      const found = incompatibilities(JSON.parse(readFileSync(file, 'utf8')), generated);
      if (found.length) problems.push(...found.map((p) => `${key}: ${p}`));
    }
    if (!problems.length) writeFileSync(file, text);
    continue;
  }
  if (!existsSync(file)) {
    problems.push(`${key}: no committed schema (run: npx nx run contracts:schemas)`);
    continue;
  }
  const committed = readFileSync(file, 'utf8');
  if (committed === text) continue;
  const found = incompatibilities(JSON.parse(committed), generated);
  if (found.length) problems.push(...found.map((p) => `${key}: ${p}`));
  else stale.push(key);
}

if (problems.length) {
  console.error('Incompatible event schema changes within a major version (publish a new version instead):');
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
if (stale.length) {
  console.error(
    `Compatible changes not yet committed for ${stale.join(', ')}: run npx nx run contracts:schemas`,
  );
  process.exit(1);
}
console.log(
  `${Object.keys(eventSchemas).length} event schemas ${mode === 'write' ? 'written' : 'up to date'}`,
);
