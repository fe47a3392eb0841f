import { SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Another delivery of the same event is sending this mail right now: retry later, do not send it twice. */
export class MailInProgressError extends Error {
  constructor(readonly key: string) {
    super(`E-mail ${key} is being sent by another delivery`);
    this.name = 'MailInProgressError';
  }
}

/** How long a claim to send a mail holds; longer than an SES call with its timeout, shorter than a retry. */
export const MAIL_LEASE_SECONDS = 30;

/**
 * SES e-mail, effectively once per key (the event, and the template through the key's prefix):
 * 1. claims the key with a `SENDING` marker that holds for a lease (or takes over a lapsed claim);
 * 2. sends through SES; a failure gives the claim back and throws, so the message is retried;
 * 3. marks the key `SENT` only after SES accepted the mail.
 * A key already `SENT` is a duplicate; one being sent by another delivery throws MailInProgressError.
 * A crash between 2 and 3 is the one window where a mail can go twice (after the lease): SES has no
 * idempotency key to close it. A crash before 2 loses nothing: the lapsed claim is taken over.
 */
export class SesMailer {
  constructor(
    private readonly ses: SESClient,
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly from: string,
    private readonly now: () => number = Date.now,
  ) {}

  async sendOnce(key: string, message: EmailMessage): Promise<'sent' | 'duplicate'> {
    const marker = { pk: `EMAIL#${key}`, sk: 'EMAIL' };
    const nowSeconds = Math.floor(this.now() / 1000);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...marker,
            kind: 'email',
            status: 'SENDING',
            leaseUntil: nowSeconds + MAIL_LEASE_SECONDS,
            to: message.to,
            subject: message.subject,
            expiresAt: nowSeconds + 30 * 86400,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#s = :sending AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':sending': 'SENDING', ':now': nowSeconds },
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      const existing = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: marker, ConsistentRead: true }),
      );
      // Markers written before the status existed were written once the mail went out.
      if (!existing.Item || existing.Item['status'] !== 'SENDING') return 'duplicate';
      throw new MailInProgressError(key);
    }
    try {
      await this.ses.send(
        new SendEmailCommand({
          Source: this.from,
          Destination: { ToAddresses: [message.to] },
          Message: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
          },
        }),
      );
    } catch (error) {
      // Give the claim back so the retry sends at once; if even that fails, the lease lapses by itself.
      await this.db
        .send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: marker,
            ConditionExpression: '#s = :sending',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':sending': 'SENDING' },
          }),
        )
        .catch(() => undefined);
      throw error;
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: marker,
        UpdateExpression: 'SET #s = :sent, sentAt = :at REMOVE leaseUntil',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':sent': 'SENT', ':at': new Date(this.now()).toISOString() },
      }),
    );
    return 'sent';
  }
}
