// The SES mailer against DynamoDB Local and the SES emulator, through the real SDK clients.
import { SESClient } from '@aws-sdk/client-ses';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localEmulators } from './local-dynamo';
import { MailInProgressError, SesMailer } from '@order-platform/aws-adapters';

let cloud: Awaited<ReturnType<typeof localEmulators>>;
beforeAll(async () => {
  cloud = await localEmulators(['dynamodb', 'ses']);
}, 90000);
afterAll(() => cloud?.stop());

const ses = (endpoint: string) =>
  new SESClient({
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    endpoint,
    maxAttempts: 1,
    requestHandler: { requestTimeout: 2000, connectionTimeout: 1000 },
  });
/** The mails the SES emulator accepted for a subject. */
async function sent(subject: string): Promise<number> {
  const store = (await (await fetch(`${cloud.endpoints.ses}/store`)).json()) as {
    emails: { subject: string }[];
  };
  return store.emails.filter((m) => m.subject === subject).length;
}
const message = (subject: string) => ({ to: 'c@example.com', subject, text: 'olá' });

describe('SesMailer', () => {
  it('sends once however often it is asked', async () => {
    // Prepare
    const table = await cloud.newTable();
    const mailer = new SesMailer(ses(cloud.endpoints.ses), cloud.doc, table, 'shop@example.com');
    // Act
    const outcomes = [
      await mailer.sendOnce('e1', message('once')),
      await mailer.sendOnce('e1', message('once')),
    ];
    // Assess
    expect(outcomes).toEqual(['sent', 'duplicate']);
    expect(await sent('once')).toBe(1);
    const marker = await cloud.doc.send(
      new GetCommand({ TableName: table, Key: { pk: 'EMAIL#e1', sk: 'EMAIL' } }),
    );
    expect(marker.Item).toMatchObject({ status: 'SENT' });
  });

  it('gives the claim back when SES fails, so the retry sends the mail', async () => {
    // Prepare: an SES endpoint nobody listens on, then the real one.
    const table = await cloud.newTable();
    const down = new SesMailer(ses('http://127.0.0.1:9'), cloud.doc, table, 'shop@example.com');
    const up = new SesMailer(ses(cloud.endpoints.ses), cloud.doc, table, 'shop@example.com');
    // Act
    await expect(down.sendOnce('e2', message('retried'))).rejects.toThrow();
    const retry = await up.sendOnce('e2', message('retried'));
    // Assess
    expect(retry).toBe('sent');
    expect(await sent('retried')).toBe(1);
  });

  it('takes over the claim of a delivery that died before sending, and waits for a live one', async () => {
    // Prepare: one claim whose lease lapsed (its sandbox died), one still held.
    const table = await cloud.newTable();
    const now = Math.floor(Date.now() / 1000);
    for (const [key, leaseUntil] of [
      ['dead', now - 1],
      ['live', now + 30],
    ] as const) {
      await cloud.doc.send(
        new PutCommand({
          TableName: table,
          Item: { pk: `EMAIL#${key}`, sk: 'EMAIL', kind: 'email', status: 'SENDING', leaseUntil },
        }),
      );
    }
    const mailer = new SesMailer(ses(cloud.endpoints.ses), cloud.doc, table, 'shop@example.com');
    // Act
    const tookOver = await mailer.sendOnce('dead', message('taken over'));
    const waiting = mailer.sendOnce('live', message('held'));
    // Assess
    expect(tookOver).toBe('sent');
    expect(await sent('taken over')).toBe(1);
    await expect(waiting).rejects.toBeInstanceOf(MailInProgressError);
    expect(await sent('held')).toBe(0);
  });
});
