import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetterQueues } from '../application/ports';
import { isDeadLetterQueue, type DeadLetterMessage, type DeadLetterQueueState } from '../domain/operations';

/** At most this many messages move in one redrive (a Lambda invocation's worth); ask again for the rest. */
export const MAX_REDRIVE = 500;

const nameOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

function toDeadLetter(m: Message): DeadLetterMessage {
  return {
    messageId: m.MessageId!,
    body: m.Body ?? '',
    sentAt: Number(m.Attributes?.SentTimestamp ?? 0),
    receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
    attributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {})
        .filter(([, v]) => v.StringValue !== undefined)
        .map(([k, v]) => [k, v.StringValue!]),
    ),
  };
}

/** What SendMessage takes again of a message's attributes (String, Number and Binary ones). */
function resendable(attributes: Record<string, MessageAttributeValue> | undefined) {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [k, v] of Object.entries(attributes ?? {})) {
    if (v.StringValue !== undefined) out[k] = { DataType: v.DataType, StringValue: v.StringValue };
    else if (v.BinaryValue !== undefined) out[k] = { DataType: v.DataType, BinaryValue: v.BinaryValue };
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * The stage's DLQs in SQS: every queue whose name starts with the stage's stack prefix
 * (`OrderPlatform-<stage>-`) and follows the platform's DLQ naming; read without consuming (a receive with
 * visibility 0), redriven by send-then-delete to the queue whose redrive policy names it.
 */
export class SqsDeadLetterQueues implements DeadLetterQueues {
  constructor(
    private readonly sqs: SQSClient,
    private readonly prefix: string,
  ) {}

  async list(named?: string): Promise<DeadLetterQueueState[]> {
    const urls: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.sqs.send(
        new ListQueuesCommand({
          QueueNamePrefix: `${this.prefix}${named ?? ''}`,
          MaxResults: 1000,
          NextToken,
        }),
      );
      urls.push(...(page.QueueUrls ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    // Each queue's attributes once: the DLQs' depths, and the redrive policies that say which queue sends
    // to which DLQ (what ListDeadLetterSourceQueues answers, read here from the sources' side).
    const described = await Promise.all(
      urls.map(async (url) => {
        const { Attributes = {} } = await this.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: [
              'QueueArn',
              'RedrivePolicy',
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
            ],
          }),
        );
        let target: string | undefined;
        try {
          target = Attributes.RedrivePolicy
            ? (JSON.parse(Attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn
            : undefined;
        } catch {
          target = undefined;
        }
        return { url, arn: Attributes.QueueArn, target, attributes: Attributes };
      }),
    );
    return described
      .filter((q) => isDeadLetterQueue(nameOf(q.url)))
      .map((q) => ({
        name: nameOf(q.url),
        url: q.url,
        depth: Number(q.attributes.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(q.attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
        sources: described.filter((s) => q.arn && s.target === q.arn).map((s) => s.url),
      }));
  }

  async peek(queue: DeadLetterQueueState, max: number): Promise<DeadLetterMessage[]> {
    const res = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = res.Messages ?? [];
    // Visible again at once (a receive with visibility 0 should do it; not every emulator honours it).
    await this.release(queue, messages);
    const seen = new Set<string>();
    return messages.filter((m) => !seen.has(m.MessageId!) && seen.add(m.MessageId!)).map(toDeadLetter);
  }

  async redrive(queue: DeadLetterQueueState, source: string, messageId?: string): Promise<number> {
    let moved = 0;
    // Every message received and not deleted is held (hidden) until the end, then made visible again at
    // once: looking for one message, each receive then shows new ones; and a message whose send failed is
    // back in sight for the next look (it was never deleted).
    const held = new Map<string, Message>();
    try {
      while (moved < MAX_REDRIVE) {
        const { Messages = [] } = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queue.url,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 60,
            WaitTimeSeconds: 0,
            MessageAttributeNames: ['All'],
          }),
        );
        if (!Messages.length) break;
        for (const m of Messages) held.set(m.MessageId!, m);
        for (const m of Messages) {
          if (messageId && m.MessageId !== messageId) continue;
          await this.sqs.send(
            new SendMessageCommand({
              QueueUrl: source,
              MessageBody: m.Body ?? '',
              MessageAttributes: resendable(m.MessageAttributes),
            }),
          );
          await this.sqs.send(
            new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: m.ReceiptHandle! }),
          );
          held.delete(m.MessageId!);
          moved += 1;
        }
        if (messageId && moved) break;
      }
    } finally {
      await this.release(queue, [...held.values()]);
    }
    return moved;
  }

  /** Makes received messages visible again. */
  private async release(queue: DeadLetterQueueState, messages: Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10)
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queue.url,
          Entries: messages
            .slice(i, i + 10)
            .map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
        }),
      );
  }
}
