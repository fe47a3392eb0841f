import type { EventSource } from './envelope';
import type { EventData, EventOf, EventType } from './registry';
import { eventSchemas } from './registry';

/**
 * Builds a new event envelope of the latest major version of `type`. The correlation id follows the order;
 * the causation id names the event (or request) that caused this one.
 */
export function newEvent<T extends EventType>(
  type: T,
  source: EventSource,
  data: EventData<T>,
  trace: { correlationId: string; causationId?: string | null },
  now: Date = new Date(),
): EventOf<T> {
  const version = latestVersion(type);
  const event = {
    id: globalThis.crypto.randomUUID(),
    type,
    version,
    source,
    occurredAt: now.toISOString(),
    correlationId: trace.correlationId,
    causationId: trace.causationId ?? null,
    data,
  };
  return (eventSchemas as Record<string, { parse(v: unknown): unknown }>)[`${type}.v${version}`]!.parse(
    event,
  ) as EventOf<T>;
}

function latestVersion(type: string): number {
  const versions = Object.keys(eventSchemas)
    .filter((k) => k.startsWith(`${type}.v`))
    .map((k) => Number(k.slice(type.length + 2)));
  return Math.max(...versions);
}
