/**
 * Compares two JSON Schemas of the same event major version and lists what would break a consumer or
 * producer: a property removed, a property newly required, a type changed, an enum or const narrowed,
 * or a bound tightened. Adding an optional property is compatible.
 */
type Json = Record<string, unknown>;

const asObject = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function incompatibilities(before: Json, after: Json, path = '$'): string[] {
  const out: string[] = [];
  const typeOf = (s: Json) => JSON.stringify(s['type'] ?? null);
  if (typeOf(before) !== typeOf(after)) out.push(`${path}: type ${typeOf(before)} became ${typeOf(after)}`);
  if ('const' in before && JSON.stringify(before['const']) !== JSON.stringify(after['const'])) {
    out.push(`${path}: const ${JSON.stringify(before['const'])} changed`);
  }
  const beforeEnum = asArray(before['enum']);
  const afterEnum = asArray(after['enum']);
  if (beforeEnum.length) {
    for (const v of beforeEnum)
      if (!afterEnum.some((a) => JSON.stringify(a) === JSON.stringify(v)))
        out.push(`${path}: enum value ${JSON.stringify(v)} removed`);
  }
  for (const bound of ['minimum', 'minLength', 'minItems', 'exclusiveMinimum'] as const) {
    const b = before[bound] as number | undefined;
    const a = after[bound] as number | undefined;
    if (a !== undefined && (b === undefined || a > b)) out.push(`${path}: ${bound} tightened to ${a}`);
  }
  for (const bound of ['maximum', 'maxLength', 'maxItems', 'exclusiveMaximum'] as const) {
    const b = before[bound] as number | undefined;
    const a = after[bound] as number | undefined;
    if (a !== undefined && (b === undefined || a < b)) out.push(`${path}: ${bound} tightened to ${a}`);
  }
  const beforeProps = asObject(before['properties']);
  const afterProps = asObject(after['properties']);
  for (const name of Object.keys(beforeProps)) {
    if (!(name in afterProps)) out.push(`${path}.${name}: property removed`);
    else
      out.push(
        ...incompatibilities(asObject(beforeProps[name]), asObject(afterProps[name]), `${path}.${name}`),
      );
  }
  const wasRequired = new Set(asArray(before['required']) as string[]);
  for (const name of asArray(after['required']) as string[]) {
    if (!wasRequired.has(name)) out.push(`${path}.${name}: newly required`);
  }
  if (before['items'] || after['items']) {
    out.push(...incompatibilities(asObject(before['items']), asObject(after['items']), `${path}[]`));
  }
  return out;
}
