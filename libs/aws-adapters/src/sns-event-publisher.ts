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

  async publish(event: DomainEvent): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Message: JSON.stringify(event),
        MessageAttributes: {
          type: { DataType: 'String', StringValue: event.type },
          source: { DataType: 'String', StringValue: event.source },
          version: { DataType: 'Number', StringValue: String(event.version) },
          correlationId: { DataType: 'String', StringValue: event.correlationId },
        },
      }),
    );
  }
}
