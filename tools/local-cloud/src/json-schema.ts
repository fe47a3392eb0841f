import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv from 'ajv-draft-04';

// API Gateway request models are JSON Schema draft 4: ajv's draft-04 class checks them, every error at once.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const compiled = new WeakMap<object, ValidateFunction>();

/** The schema at a JSON pointer (`#/anyOf/0`), or undefined. */
function at(schema: unknown, pointer: string): unknown {
  return pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], schema);
}

/** The value at a JSON pointer of the instance (`/items/0`). */
function valueAt(value: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .filter(Boolean)
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
}

const pathOf = (instancePath: string) => `$${instancePath.replace(/\//g, '.')}`;

/**
 * When a value fits no option of an `anyOf` / `oneOf`, only the errors of the closest option are kept, so
 * the caller sees the field that is wrong rather than every option's complaints: the closest is the option
 * whose required fields the value has most of, then the one with the fewest errors.
 */
function closestOptions(errors: ErrorObject[], schema: unknown, value: unknown): ErrorObject[] {
  let kept = errors;
  for (const choice of errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')) {
    const options = (at(schema, choice.schemaPath) as unknown[] | undefined) ?? [];
    const of = (i: number) => kept.filter((e) => e.schemaPath.startsWith(`${choice.schemaPath}/${i}/`));
    const here = valueAt(value, choice.instancePath);
    const present = (i: number) =>
      here && typeof here === 'object'
        ? (((options[i] as { required?: string[] }).required ?? []).filter((k) => k in here).length ?? 0)
        : 0;
    const best = options
      .map((_, i) => i)
      .sort((a, b) => present(b) - present(a) || of(a).length - of(b).length)[0];
    kept = kept.filter(
      (e) =>
        !e.schemaPath.startsWith(`${choice.schemaPath}/`) ||
        e.schemaPath.startsWith(`${choice.schemaPath}/${best}/`),
    );
  }
  return kept;
}

function describe(error: ErrorObject): string {
  const path = pathOf(error.instancePath);
  if (error.keyword === 'required')
    return `${path}.${(error.params as { missingProperty: string }).missingProperty}: is required`;
  if (error.keyword === 'additionalProperties')
    return `${path}.${(error.params as { additionalProperty: string }).additionalProperty}: is not allowed`;
  return `${path}: ${error.message}`;
}

/**
 * Validates a value against an API Gateway model (JSON Schema draft 4). Returns the violations, each with
 * its path (`$.items.0.quantity: must be >= 1`); empty when the value fits.
 */
export function validateSchema(schema: Record<string, unknown>, value: unknown): string[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  return closestOptions(validate.errors ?? [], schema, value).map(describe);
}
