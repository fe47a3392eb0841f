import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** What the SQS event source hands a handler about a message: enough to change its visibility. */
export interface SqsMessageRef {
  receiptHandle: string;
  eventSourceARN: string;
  attributes: { ApproximateReceiveCount?: string };
}

/**
 * Retries a failed SQS message sooner than the queue's visibility timeout, with exponential backoff:
 * `base`, `2 × base`, `4 × base`... capped at `max` seconds. Without it a failed message waits the whole
 * visibility timeout (six times the function's timeout, minutes) before its next try.
 */
export function sqsRetryBackoff(
  sqs: SQSClient,
  options: { baseSeconds?: number; maxSeconds?: number } = {},
): (message: SqsMessageRef) => Promise<void> {
  const base = options.baseSeconds ?? 2;
  const max = options.maxSeconds ?? 900;
  const urls = new Map<string, Promise<string>>();
  return async (message) => {
    const queueName = message.eventSourceARN.split(':').pop()!;
    let url = urls.get(queueName);
    if (!url) {
      url = sqs.send(new GetQueueUrlCommand({ QueueName: queueName })).then((r) => r.QueueUrl!);
      url.catch(() => urls.delete(queueName));
      urls.set(queueName, url);
    }
    const attempt = Math.max(1, Number(message.attributes.ApproximateReceiveCount ?? '1'));
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: await url,
        ReceiptHandle: message.receiptHandle,
        VisibilityTimeout: Math.min(max, base * 2 ** (attempt - 1)),
      }),
    );
  };
}
