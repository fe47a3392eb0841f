import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DomainEvent } from '@order-platform/contracts';

/** PutEvents takes at most ten entries and 256 KB per call. */
const MAX_ENTRIES = 10;
const MAX_BYTES = 200 * 1024;

/**
 * Puts domain events on the stage's integration bus (ADR 0015): `source` `order-platform.<service>`,
 * `detail-type` the event type, `detail` the envelope, and the trace each event was written in. An entry
 * EventBridge refuses is named, so its outbox record is retried rather than lost.
 */
export class EventBridgePublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busArn: string,
  ) {}

  /**
   * Puts many events with as few calls as the API allows (ten entries, 256 KB a call), in the order given;
   * the events that were not put, each with its reason (an entry refused, or its whole call failing).
   */
  async publishAll(
    entries: { event: DomainEvent; traceHeader?: string }[],
  ): Promise<{ eventId: string; reason: string }[]> {
    const refused: { eventId: string; reason: string }[] = [];
    const chunks: { event: DomainEvent; traceHeader?: string; detail: string }[][] = [];
    let bytes = 0;
    for (const entry of entries) {
      const detail = JSON.stringify(entry.event);
      const last = chunks.at(-1);
      if (!last || last.length === MAX_ENTRIES || bytes + detail.length > MAX_BYTES) {
        chunks.push([{ ...entry, detail }]);
        bytes = detail.length;
      } else {
        last.push({ ...entry, detail });
        bytes += detail.length;
      }
    }
    for (const chunk of chunks) {
      try {
        const res = await this.client.send(
          new PutEventsCommand({
            Entries: chunk.map(({ event, traceHeader, detail }) => ({
              EventBusName: this.busArn,
              Source: `order-platform.${event.source}`,
              DetailType: event.type,
              Detail: detail,
              Time: new Date(event.occurredAt),
              ...(traceHeader ? { TraceHeader: traceHeader } : {}),
            })),
          }),
        );
        // The answer lists one result per entry, in the order sent.
        chunk.forEach(({ event }, i) => {
          const result = res.Entries?.[i];
          if (result?.ErrorCode || (!result?.EventId && res.FailedEntryCount))
            refused.push({
              eventId: event.id,
              reason: `${result?.ErrorCode ?? 'unknown'} ${result?.ErrorMessage ?? ''}`.trim(),
            });
        });
      } catch (error) {
        for (const { event } of chunk) refused.push({ eventId: event.id, reason: String(error) });
      }
    }
    return refused;
  }
}
