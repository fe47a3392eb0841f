import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventSchemas, type EventOf, type EventType } from '@order-platform/contracts';

const samplesDir = join(__dirname, '..', '..', 'contracts', 'samples');
const kebab = (type: string) => type.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();

/**
 * An event of `type` built from the producer's committed sample, with a fresh id and the given
 * overrides (data is merged); the result is validated against the contract, so a test cannot build an
 * event the producer would never send.
 */
export function anEvent<T extends EventType>(
  type: T,
  overrides: { data?: Partial<EventOf<T>['data']> } & Partial<Omit<EventOf<T>, 'data' | 'type'>> = {},
): EventOf<T> {
  const sample = JSON.parse(readFileSync(join(samplesDir, `${kebab(type)}.v1.json`), 'utf8')) as EventOf<T>;
  const { data, ...rest } = overrides;
  const event = { ...sample, id: globalThis.crypto.randomUUID(), ...rest, data: { ...sample.data, ...data } };
  const schema = (eventSchemas as Record<string, { parse(v: unknown): unknown }>)[
    `${type}.v${event.version}`
  ]!;
  return schema.parse(event) as EventOf<T>;
}
