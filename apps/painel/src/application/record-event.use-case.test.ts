import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DomainEvent } from '@order-platform/contracts';
import type { FeedEntry } from '../domain/feed-entry';
import type { EventLog } from './ports';
import { recordEvent } from './record-event.use-case';

const sample = JSON.parse(
  readFileSync(join(__dirname, '../../../../libs/contracts/samples/order-completed.v1.json'), 'utf8'),
) as DomainEvent;

class InMemoryLog implements EventLog {
  entries = new Map<string, FeedEntry>();
  async record(entry: FeedEntry) {
    if (this.entries.has(entry.eventId)) return 'duplicate' as const;
    this.entries.set(entry.eventId, entry);
    return 'recorded' as const;
  }
}

describe('recordEvent', () => {
  it('keeps type, time, correlation, order id and data, once per event id', async () => {
    // Prepare
    const log = new InMemoryLog();
    // Act
    const first = await recordEvent({ log }, sample);
    const second = await recordEvent({ log }, sample);
    // Assess
    expect([first, second]).toEqual(['recorded', 'duplicate']);
    expect([...log.entries.values()]).toEqual([
      {
        eventId: sample.id,
        type: 'OrderCompleted',
        source: 'pedidos',
        occurredAt: sample.occurredAt,
        correlationId: sample.correlationId,
        orderId: 'ord-7b1e',
        data: sample.data,
      },
    ]);
  });
});
