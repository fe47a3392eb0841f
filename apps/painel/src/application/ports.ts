import type { FeedEntry } from '../domain/feed-entry';

/** The dashboard's own copy of the events it received (no other service's table is ever read). */
export interface EventLog {
  /** Stores the entry once; a second delivery of the same event id reports `duplicate` and changes nothing. */
  record(entry: FeedEntry): Promise<'recorded' | 'duplicate'>;
}
