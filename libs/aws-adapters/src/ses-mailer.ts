import { SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * SES e-mail, once per key: a marker item is written on condition it does not exist before sending, and
 * removed again if sending fails, so a retry can send it.
 */
export class SesMailer {
  constructor(
    private readonly ses: SESClient,
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly from: string,
  ) {}

  async sendOnce(key: string, message: EmailMessage): Promise<'sent' | 'duplicate'> {
    const marker = { pk: `EMAIL#${key}`, sk: 'EMAIL' };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...marker,
            kind: 'email',
            to: message.to,
            subject: message.subject,
            expiresAt: Math.floor(Date.now() / 1000) + 30 * 86400,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return 'duplicate';
      throw error;
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
      return 'sent';
    } catch (error) {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: marker }));
      throw error;
    }
  }
}
