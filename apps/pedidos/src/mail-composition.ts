// Composition root of the notification function.
import { SESClient } from '@aws-sdk/client-ses';
import { SesMailer } from '@order-platform/aws-adapters';
import { parseConfig, traced } from '@order-platform/lambda-kit';
import { z } from 'zod';
import { dynamo } from './composition';
import { config } from './config';

const mail = parseConfig(z.object({ SENDER_EMAIL: z.email() }));
// A short timeout: an SES call that hangs must fail the record (and retry), not the whole batch.
const ses = traced(new SESClient({ requestHandler: { requestTimeout: 5000, connectionTimeout: 2000 } }));
export const mailer = new SesMailer(ses, dynamo, config.TABLE_NAME, mail.SENDER_EMAIL);
