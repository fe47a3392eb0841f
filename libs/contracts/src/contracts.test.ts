import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { incompatibilities } from './compatibility';
import { EVENT_TYPES, type PublishedEventType } from './event-types';
import { eventSchemas, parseEvent, UnknownEventError, type EventType } from './registry';

const samplesDir = join(__dirname, '..', 'samples');
const samples = readdirSync(samplesDir).map((f) => ({
  file: f,
  event: JSON.parse(readFileSync(join(samplesDir, f), 'utf8')),
}));

describe('event samples (producer-owned)', () => {
  it('has one sample for every registered event', () => {
    // Assess
    const keys = samples.map(({ event }) => `${event.type}.v${event.version}`).sort();
    expect(keys).toEqual(Object.keys(eventSchemas).sort());
  });

  it.each(samples)('$file parses with its schema', ({ event }) => {
    // Act
    const parsed = parseEvent(event);
    // Assess
    expect(parsed).toEqual(event);
  });
});

describe('EVENT_TYPES', () => {
  it('names every event of the registry, and nothing else', () => {
    // Both directions also fail to compile: a name that is no event's type, an event's type not named.
    const namesAreTypes: readonly EventType[] = EVENT_TYPES;
    const typesAreNamed: readonly PublishedEventType[] = [] as EventType[];
    expect(typesAreNamed).toEqual([]);
    expect([...namesAreTypes].sort()).toEqual(
      [...new Set(Object.keys(eventSchemas).map((key) => key.replace(/\.v\d+$/, '')))].sort(),
    );
  });
});

describe('parseEvent', () => {
  it('refuses an unknown type or version', () => {
    // Prepare
    const event = { ...samples[0]!.event, version: 99 };
    // Act + Assess
    expect(() => parseEvent(event)).toThrow(UnknownEventError);
  });

  it('refuses an envelope without correlationId', () => {
    // Prepare
    const { correlationId: _omit, ...event } = samples[0]!.event;
    // Act + Assess
    expect(() => parseEvent(event)).toThrow(/correlationId/);
  });
});

describe('incompatibilities', () => {
  const before = {
    type: 'object',
    properties: {
      a: { type: 'string' },
      b: { type: 'number', minimum: 0 },
      c: { type: 'string', enum: ['x', 'y'] },
    },
    required: ['a'],
  };

  it('accepts an added optional property', () => {
    // Prepare
    const after = { ...before, properties: { ...before.properties, d: { type: 'string' } } };
    // Act + Assess
    expect(incompatibilities(before, after)).toEqual([]);
  });

  it('flags a removed property, a new required field, a changed type, a narrowed enum and a tighter bound', () => {
    // Prepare
    const after = {
      type: 'object',
      properties: {
        b: { type: 'string', minimum: 1 },
        c: { type: 'string', enum: ['x'] },
        d: { type: 'string' },
      },
      required: ['d'],
    };
    // Act
    const found = incompatibilities(before, after);
    // Assess
    expect(found).toEqual(
      expect.arrayContaining([
        '$.a: property removed',
        '$.b: type "number" became "string"',
        '$.b: minimum tightened to 1',
        '$.c: enum value "y" removed',
        '$.d: newly required',
      ]),
    );
  });
});
