/**
 * The cdk-nag acknowledgements of the platform, read from the constructs themselves (every
 * `Validations.of(x).acknowledge(...)` records `aws:cdk:acknowledged-rules` metadata), as the markdown table
 * of `docs/cdk-nag-acknowledgements.md`. `npx tsx infra/src/nag-table.ts` rewrites that file; a stack test
 * fails when the committed one differs from the code, so the table cannot fall behind.
 */
import { App } from 'aws-cdk-lib';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildApp, STAGES } from './app';

export const NAG_TABLE_FILE = join(resolve(__dirname, '..', '..'), 'docs', 'cdk-nag-acknowledgements.md');

/** Where a rule is acknowledged, readably: `Pedidos/PlaceOrder/Role` (stage and stack prefix dropped). */
const where = (path: string) => path.replace(/^OrderPlatform-[a-z]+-/, '').replace(/\/Resource$/, '');

export function nagTable(apps: App[] = STAGES.map((stage) => buildApp(stage, new App()))): string {
  // rule → reason → places (stages folded together)
  const rows = new Map<string, Map<string, Set<string>>>();
  for (const app of apps)
    for (const construct of app.node.findAll())
      for (const entry of construct.node.metadata)
        if (entry.type === 'aws:cdk:acknowledged-rules' && entry.data)
          for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
            const rule = id.replace(/^Annotation::/, '');
            const reasons = rows.get(rule) ?? new Map<string, Set<string>>();
            rows.set(rule, reasons);
            const places = reasons.get(reason) ?? new Set<string>();
            reasons.set(reason, places);
            places.add(where(construct.node.path));
          }
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [...rows]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([rule, reasons]) =>
      [...reasons].map(([reason, places]) => {
        const sorted = [...places].sort();
        const at =
          sorted.length > 4
            ? `${sorted.length} constructs (${[...new Set(sorted.map((p) => p.split('/')[0]))].join(', ')})`
            : sorted.map((p) => `\`${p}\``).join(', ');
        return `| ${cell(rule)} | ${cell(at)} | ${cell(reason)} |`;
      }),
    );
  return [
    '# cdk-nag acknowledgements',
    '',
    'Generated from the code by `npx tsx infra/src/nag-table.ts` (every stage); do not edit. A stack test fails',
    'when this file and the code disagree. Why acknowledgements are made this way: ADR 0003.',
    '',
    '| rule | where | reason |',
    '|---|---|---|',
    ...lines,
    '',
  ].join('\n');
}

if (require.main === module) {
  writeFileSync(NAG_TABLE_FILE, nagTable());
  console.log(`Wrote ${NAG_TABLE_FILE}`);
}
