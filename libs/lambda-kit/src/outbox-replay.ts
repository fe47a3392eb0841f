import type { DomainEvent } from '@order-platform/contracts';
import * as z from '@order-platform/contracts/zod';
import type { BatchEventPublisher, EventPublisher } from './outbox-stream';
import { instrumented, logger } from './powertools';

/** The outbox records never marked published, page by page (a service table's `DynamoDbOutbox`). */
export interface PendingOutbox {
  markPublished(eventId: string): Promise<void>;
  pending(olderThan: Date, orderId?: string): AsyncGenerator<{ event: DomainEvent }[], void, void>;
}

/** What a replay is asked: one order's events (or every pending one), older than a minute by default. */
export const OutboxReplayRequest = z.strictObject({
  orderId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  olderThanSeconds: z._default(z.number().check(z.int(), z.gte(0), z.lte(30 * 86400)), 60),
  dryRun: z._default(z.boolean(), false),
});

export interface OutboxReplayResult {
  dryRun: boolean;
  replayed: { eventId: string; type: string; occurredAt: string }[];
}

/**
 * Republishes the events of outbox records that were never marked published (their publisher failed
 * past its retries, or their stream records expired), oldest first, and marks them; the operator's replay
 * (the painel operations view, `npm run outbox:replay`). Consumers are idempotent per event id, so a record
 * that was published and only not marked is harmless to send again.
 */
export async function replayOutbox(
  deps: { publisher: EventPublisher; bus?: BatchEventPublisher; outbox: PendingOutbox },
  request: z.input<typeof OutboxReplayRequest>,
  log: (line: string) => void = () => undefined,
): Promise<OutboxReplayResult> {
  const { orderId, olderThanSeconds, dryRun } = OutboxReplayRequest.parse(request);
  const cutoff = new Date(Date.now() - olderThanSeconds * 1000);
  const replayed: OutboxReplayResult['replayed'] = [];
  for await (const page of deps.outbox.pending(cutoff, orderId)) {
    const wanted = page
      .filter((r) => !orderId || (r.event.data as { orderId?: string }).orderId === orderId)
      .sort((a, b) => a.event.occurredAt.localeCompare(b.event.occurredAt));
    for (const { event } of wanted) {
      log(`${dryRun ? 'would replay' : 'replaying'} ${event.type} ${event.id} (${event.occurredAt})`);
      if (!dryRun) {
        await deps.publisher.publish(event);
        const [refused] = (await deps.bus?.publishAll([{ event }])) ?? [];
        if (refused) throw new Error(`The bus refused event ${event.id}: ${refused.reason}`);
        await deps.outbox.markPublished(event.id);
      }
      replayed.push({ eventId: event.id, type: event.type, occurredAt: event.occurredAt });
    }
  }
  return { dryRun, replayed };
}

/** The replay as a function of a service (invoked directly, never by an event source). */
export function outboxReplayHandler(
  outbox: () => { publisher: EventPublisher; bus?: BatchEventPublisher; marker: PendingOutbox },
) {
  return instrumented(async (request: unknown): Promise<OutboxReplayResult> => {
    const { publisher, bus, marker } = outbox();
    const result = await replayOutbox(
      { publisher, ...(bus ? { bus } : {}), outbox: marker },
      request as z.input<typeof OutboxReplayRequest>,
    );
    logger.info('Outbox replayed', {
      request: request as Record<string, unknown>,
      replayed: result.replayed.length,
      dryRun: result.dryRun,
    });
    return result;
  });
}
