/**
 * EventBridge's event pattern language, as the local event bus applies it to rules and archives: exact
 * values (a list is any of them; `null` matches null), `prefix`, `suffix` (each also with
 * `equals-ignore-case`), `equals-ignore-case`, `wildcard`, `anything-but` (a value, a list, a prefix, a
 * suffix, `equals-ignore-case` or a wildcard), `numeric` ranges, `exists`, `cidr` (IPv4), and `$or` at any
 * level. A field holding an array matches when any of its elements does. A pattern this matcher cannot read
 * raises `InvalidEventPatternError`, as PutRule does, rather than matching nothing in silence.
 */
export class InvalidEventPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventPatternError';
  }
}

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function matchesEventPattern(pattern: Json, event: Json): boolean {
  if (!isObject(pattern)) throw new InvalidEventPatternError('An event pattern is a JSON object.');
  return matchObject(pattern, event);
}

/** Checks a pattern once (PutRule's validation): throws on anything the matcher would not understand. */
export function validateEventPattern(pattern: Json): void {
  if (!isObject(pattern)) throw new InvalidEventPatternError('An event pattern is a JSON object.');
  const walk = (p: Record<string, Json>) => {
    for (const [key, value] of Object.entries(p)) {
      if (key === '$or') {
        if (!Array.isArray(value) || value.length < 2 || !value.every(isObject))
          throw new InvalidEventPatternError('$or takes a list of at least two patterns.');
        value.forEach((v) => walk(v as Record<string, Json>));
      } else if (Array.isArray(value)) value.forEach((rule) => isObject(rule) && checkRule(rule));
      else if (isObject(value)) walk(value);
      else throw new InvalidEventPatternError(`"${key}" must be an object or an array.`);
    }
  };
  walk(pattern);
}

function matchObject(pattern: Record<string, Json>, value: Json): boolean {
  for (const [key, p] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(p)) throw new InvalidEventPatternError('$or takes a list of patterns.');
      if (!p.some((sub) => isObject(sub) && matchObject(sub, value))) return false;
      continue;
    }
    const present = isObject(value) && key in value;
    const field = present ? (value as Record<string, Json>)[key] : undefined;
    if (Array.isArray(p)) {
      if (!matchLeaf(p, field, present)) return false;
    } else if (isObject(p)) {
      if (!present) return false;
      // A nested pattern against an array of objects: any element may match.
      const candidates = Array.isArray(field) ? field : [field];
      if (!candidates.some((c) => isObject(c) && matchObject(p, c))) return false;
    } else throw new InvalidEventPatternError(`"${key}" must be an object or an array.`);
  }
  return true;
}

function matchLeaf(rules: Json[], field: Json, present: boolean): boolean {
  const values = Array.isArray(field) ? field : [field];
  return rules.some((rule) => {
    if (isObject(rule)) {
      if ('exists' in rule) return rule['exists'] === true ? present && !isObject(field) : !present;
      if (!present) return false;
      return values.some((v) => matchRule(rule, v));
    }
    if (!present) return false;
    return values.some((v) => v === rule);
  });
}

function checkRule(rule: Record<string, Json>): void {
  const [kind, ...more] = Object.keys(rule);
  if (!kind || more.length)
    throw new InvalidEventPatternError(`A matcher has exactly one key: ${JSON.stringify(rule)}`);
  if (
    ![
      'prefix',
      'suffix',
      'equals-ignore-case',
      'wildcard',
      'anything-but',
      'numeric',
      'exists',
      'cidr',
    ].includes(kind)
  )
    throw new InvalidEventPatternError(`Unknown matcher "${kind}".`);
  if (kind === 'numeric') numericTest(rule['numeric']);
  if (kind === 'cidr') cidrTest(rule['cidr']);
}

function textMatcher(spec: Json, test: (value: string, wanted: string) => boolean): (v: Json) => boolean {
  if (typeof spec === 'string') return (v) => typeof v === 'string' && test(v, spec);
  if (isObject(spec) && typeof spec['equals-ignore-case'] === 'string') {
    const wanted = spec['equals-ignore-case'].toLowerCase();
    return (v) => typeof v === 'string' && test(v.toLowerCase(), wanted);
  }
  throw new InvalidEventPatternError(`A prefix or suffix is a string: ${JSON.stringify(spec)}`);
}

function wildcardTest(spec: Json): (v: Json) => boolean {
  if (typeof spec !== 'string') throw new InvalidEventPatternError('A wildcard is a string.');
  const source = spec
    .split(/(\\\*|\*)/)
    .map((part) =>
      part === '*' ? '.*' : part === '\\*' ? '\\*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  const re = new RegExp(`^${source}$`, 's');
  return (v) => typeof v === 'string' && re.test(v);
}

function numericTest(spec: Json): (v: Json) => boolean {
  if (!Array.isArray(spec) || spec.length === 0 || spec.length % 2)
    throw new InvalidEventPatternError('numeric takes operator and number pairs.');
  const checks: ((n: number) => boolean)[] = [];
  for (let i = 0; i < spec.length; i += 2) {
    const [op, n] = [spec[i], spec[i + 1]];
    if (typeof n !== 'number') throw new InvalidEventPatternError('numeric compares with numbers.');
    const check = {
      '<': (x: number) => x < n,
      '<=': (x: number) => x <= n,
      '=': (x: number) => x === n,
      '>': (x: number) => x > n,
      '>=': (x: number) => x >= n,
    }[String(op)];
    if (!check) throw new InvalidEventPatternError(`Unknown numeric operator "${String(op)}".`);
    checks.push(check);
  }
  return (v) => typeof v === 'number' && checks.every((c) => c(v));
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function cidrTest(spec: Json): (v: Json) => boolean {
  const m = typeof spec === 'string' ? /^([\d.]+)\/(\d{1,2})$/.exec(spec) : null;
  const base = m ? ipv4(m[1]!) : undefined;
  if (!m || base === undefined || Number(m[2]) > 32)
    throw new InvalidEventPatternError(
      `cidr takes an IPv4 block such as 10.0.0.0/24: ${JSON.stringify(spec)}`,
    );
  const size = 2 ** (32 - Number(m[2]));
  const start = Math.floor(base / size) * size;
  return (v) => {
    const ip = typeof v === 'string' ? ipv4(v) : undefined;
    return ip !== undefined && ip >= start && ip < start + size;
  };
}

function matchRule(rule: Record<string, Json>, v: Json): boolean {
  checkRule(rule);
  const [kind] = Object.keys(rule) as [string];
  const spec = rule[kind];
  switch (kind) {
    case 'prefix':
      return textMatcher(spec, (value, wanted) => value.startsWith(wanted))(v);
    case 'suffix':
      return textMatcher(spec, (value, wanted) => value.endsWith(wanted))(v);
    case 'equals-ignore-case':
      return typeof spec === 'string' && typeof v === 'string' && v.toLowerCase() === spec.toLowerCase();
    case 'wildcard':
      return wildcardTest(spec)(v);
    case 'numeric':
      return numericTest(spec)(v);
    case 'cidr':
      return cidrTest(spec)(v);
    case 'anything-but': {
      if (Array.isArray(spec)) return !spec.some((s) => s === v);
      if (isObject(spec)) {
        if ('prefix' in spec)
          return typeof v === 'string' && !textMatcher(spec['prefix'], (a, b) => a.startsWith(b))(v);
        if ('suffix' in spec)
          return typeof v === 'string' && !textMatcher(spec['suffix'], (a, b) => a.endsWith(b))(v);
        if ('wildcard' in spec) return typeof v === 'string' && !wildcardTest(spec['wildcard'])(v);
        if ('equals-ignore-case' in spec) {
          const wanted = [spec['equals-ignore-case']].flat().map((s) => String(s).toLowerCase());
          return typeof v === 'string' && !wanted.includes(v.toLowerCase());
        }
        throw new InvalidEventPatternError(`Unknown anything-but form: ${JSON.stringify(spec)}`);
      }
      return v !== spec;
    }
    default:
      return false;
  }
}
