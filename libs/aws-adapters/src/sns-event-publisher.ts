import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { DomainEvent } from '@order-platform/contracts';

/**
 * Publishes domain events to one SNS topic. `type`, `source` and `version` travel as message attributes
 * so subscriptions can filter on them; the body is the envelope itself (consumers use raw delivery).
 */
export class SnsEventPublisher {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  /**
   * @param options.traceHeader the trace the event belongs to (the one it was written in): SNS carries it
   * on to the consumers, so an order stays one trace across the outbox's stream (see ADR 0014).
   */
  async publish(event: DomainEvent, options: { traceHeader?: string } = {}): Promise<void> {
    const command = new PublishCommand({
      TopicArn: this.topicArn,
      Message: JSON.stringify(event),
      MessageAttributes: {
        type: { DataType: 'String', StringValue: event.type },
        source: { DataType: 'String', StringValue: event.source },
        version: { DataType: 'Number', StringValue: String(event.version) },
        correlationId: { DataType: 'String', StringValue: event.correlationId },
        // An order's channel, for subscriptions that take one channel's outcomes only.
        ...(typeof (event.data as { channel?: unknown }).channel === 'string'
          ? { channel: { DataType: 'String', StringValue: (event.data as { channel: string }).channel } }
          : {}),
      },
    });
    const { traceHeader } = options;
    if (traceHeader) {
      // After the X-Ray SDK's own header (added at `build`), so the event's trace wins.
      command.middlewareStack.add(
        (next) => (args) => {
          const request = args.request as { headers?: Record<string, string> };
          if (request.headers) request.headers['X-Amzn-Trace-Id'] = traceHeader;
          return next(args);
        },
        { step: 'finalizeRequest', name: 'eventTraceHeader' },
      );
    }
    await this.client.send(command);
  }
}
