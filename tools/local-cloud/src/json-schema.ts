/**
 * Validates a value against the JSON Schema subset API Gateway models use (draft 4: type, required,
 * properties, additionalProperties, items, min/max lengths, items and values, enum, pattern, anyOf, oneOf).
 * Returns the list of violations, each with its path; empty when the value fits.
 */
export function validateSchema(schema: Record<string, unknown>, value: unknown, path = '$'): string[] {
  const errors: string[] = [];
  const type = schema['type'] as string | string[] | undefined;
  const typeOf = (v: unknown) =>
    v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
  if (type) {
    const allowed = [type].flat();
    const actual = typeOf(value);
    const ok = allowed.some((t) => t === actual || (t === 'number' && actual === 'integer'));
    if (!ok) return [`${path}: expected ${allowed.join(' or ')}, got ${actual}`];
  }
  if (
    schema['enum'] &&
    !(schema['enum'] as unknown[]).some((e) => JSON.stringify(e) === JSON.stringify(value))
  ) {
    errors.push(`${path}: must be one of ${JSON.stringify(schema['enum'])}`);
  }
  if (typeof value === 'string') {
    if (typeof schema['minLength'] === 'number' && value.length < schema['minLength'])
      errors.push(`${path}: shorter than ${schema['minLength']}`);
    if (typeof schema['maxLength'] === 'number' && value.length > schema['maxLength'])
      errors.push(`${path}: longer than ${schema['maxLength']}`);
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern']).test(value))
      errors.push(`${path}: does not match ${schema['pattern']}`);
  }
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum'])
      errors.push(`${path}: below ${schema['minimum']}`);
    if (typeof schema['maximum'] === 'number' && value > schema['maximum'])
      errors.push(`${path}: above ${schema['maximum']}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema['minItems'] === 'number' && value.length < schema['minItems'])
      errors.push(`${path}: fewer than ${schema['minItems']} items`);
    if (typeof schema['maxItems'] === 'number' && value.length > schema['maxItems'])
      errors.push(`${path}: more than ${schema['maxItems']} items`);
    if (schema['items'])
      value.forEach((v, i) =>
        errors.push(...validateSchema(schema['items'] as Record<string, unknown>, v, `${path}[${i}]`)),
      );
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const name of (schema['required'] as string[] | undefined) ?? []) {
      if (!(name in obj)) errors.push(`${path}.${name}: is required`);
    }
    const props = (schema['properties'] as Record<string, Record<string, unknown>> | undefined) ?? {};
    for (const [name, sub] of Object.entries(props)) {
      if (name in obj) errors.push(...validateSchema(sub, obj[name], `${path}.${name}`));
    }
    if (schema['additionalProperties'] === false) {
      for (const name of Object.keys(obj))
        if (!(name in props)) errors.push(`${path}.${name}: is not allowed`);
    }
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key] as Record<string, unknown>[] | undefined;
    if (!options) continue;
    const reports = options.map((o) => validateSchema(o, value, path));
    const fits = reports.filter((r) => r.length === 0).length;
    if (key === 'anyOf' ? fits === 0 : fits !== 1) {
      errors.push(`${path}: matches ${fits} of the ${key} schemas`);
      // Say what is wrong with the closest one, so the caller sees the field, not only the shape.
      // The closest is the one whose required fields the value has most of, then the one with fewest errors.
      if (fits === 0) {
        const present = (o: Record<string, unknown>) =>
          value && typeof value === 'object'
            ? ((o['required'] as string[] | undefined) ?? []).filter((k) => k in (value as object)).length
            : 0;
        const ranked = options
          .map((o, i) => ({ present: present(o), errors: reports[i]! }))
          .sort((a, b) => b.present - a.present || a.errors.length - b.errors.length);
        errors.push(...ranked[0]!.errors);
      }
    }
  }
  return errors;
}
