import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DomainEvent } from '@order-platform/contracts';

/**
 * Puts domain events on the stage's integration bus (ADR 0015): `source` `order-platform.<service>`,
 * `detail-type` the event type, `detail` the envelope, and the trace the event was written in. An entry
 * EventBridge refuses fails the publish, so the outbox record is retried rather than lost.
 */
export class EventBridgePublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busArn: string,
  ) {}

  async publish(event: DomainEvent, options: { traceHeader?: string } = {}): Promise<void> {
    const res = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busArn,
            Source: `order-platform.${event.source}`,
            DetailType: event.type,
            Detail: JSON.stringify(event),
            Time: new Date(event.occurredAt),
            ...(options.traceHeader ? { TraceHeader: options.traceHeader } : {}),
          },
        ],
      }),
    );
    const failed = res.Entries?.find((e) => e.ErrorCode);
    if (res.FailedEntryCount || failed)
      throw new Error(
        `EventBridge refused event ${event.id}: ${failed?.ErrorCode} ${failed?.ErrorMessage ?? ''}`,
      );
  }
}

/** Publishes to each publisher in turn: the topic (the services' own path) first, then the bus. */
export class Publishers {
  constructor(
    private readonly all: {
      publish(event: DomainEvent, options?: { traceHeader?: string }): Promise<void>;
    }[],
  ) {}

  async publish(event: DomainEvent, options: { traceHeader?: string } = {}): Promise<void> {
    for (const p of this.all) await p.publish(event, options);
  }
}
