import type { DomainEvent } from '@order-platform/contracts';
import { toFeedEntry } from '../domain/feed-entry';
import type { EventLog } from './ports';

/**
 * Keeps one event for the dashboard:
 * 1. turns it into a feed entry;
 * 2. records it once by event id (at-least-once delivery makes duplicates normal).
 */
export async function recordEvent(
  deps: { log: EventLog },
  event: DomainEvent,
): Promise<'recorded' | 'duplicate'> {
  return deps.log.record(toFeedEntry(event));
}
