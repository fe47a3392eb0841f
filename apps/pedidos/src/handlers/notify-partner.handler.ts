import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { eventHandler, logger, traced } from '@order-platform/lambda-kit';
import { HttpPartnerCallbacks } from '../adapters/http-partner.callbacks';
import { notifyPartner } from '../application/notify-partner.use-case';
import { orders } from '../composition';
import { callbackRules, partners } from '../partner-composition';

const deps = {
  orders,
  partners,
  callbacks: new HttpPartnerCallbacks({ allowLoopback: callbackRules.allowLoopbackCallbacks }),
};
const sqs = traced(new SQSClient({}));
const queueUrls = new Map<string, Promise<string>>();

/** Exponential backoff for a refused delivery: 5 s, 10 s, 20 s, 40 s... (at most 15 minutes). */
async function backOff(record: SQSRecord): Promise<void> {
  const attempt = Number(record.attributes.ApproximateReceiveCount ?? '1');
  const queueName = record.eventSourceARN.split(':').pop()!;
  let url = queueUrls.get(queueName);
  if (!url) {
    url = sqs.send(new GetQueueUrlCommand({ QueueName: queueName })).then((r) => r.QueueUrl!);
    queueUrls.set(queueName, url);
  }
  await sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: await url,
      ReceiptHandle: record.receiptHandle,
      VisibilityTimeout: Math.min(900, 5 * 2 ** (attempt - 1)),
    }),
  );
}

/**
 * Posts the final status of partner orders to the partners' callback URLs, signed, retried with backoff.
 * The records of a batch are delivered at the same time, so one slow partner (5 s at most) never makes
 * another partner's delivery time out or repeat.
 */
export const handler = eventHandler(
  async (event, record) => {
    try {
      const outcome = await notifyPartner(deps, event);
      logger.info('Partner callback', { type: event.type, outcome });
    } catch (error) {
      logger.warn('Partner callback refused; retrying later', {
        error: (error as Error).message,
        attempt: record.attributes.ApproximateReceiveCount,
      });
      await backOff(record).catch((e: Error) => logger.error('Backoff failed', { error: e.message }));
      throw error;
    }
  },
  { parallel: true },
);
