// Composition root of the invoice-issuing function: built once per cold start.
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient, SesMailer } from '@order-platform/aws-adapters';
import { parseConfig, traced } from '@order-platform/lambda-kit';
import { z } from 'zod';
import { DynamoDbInvoiceRepository } from './adapters/dynamodb-invoice.repository';
import { PdfKitInvoiceRenderer } from './adapters/pdfkit-invoice.renderer';
import { S3DocumentStore } from './adapters/s3-document.store';

const config = parseConfig(
  z.object({ TABLE_NAME: z.string().min(1), DOCUMENTS_BUCKET: z.string().min(1), SENDER_EMAIL: z.email(), INVOICE_API_URL: z.url() }),
);
const db = documentClient(traced(new DynamoDBClient({})));
const s3 = traced(new S3Client({ forcePathStyle: true }));
const ses = traced(new SESClient({ requestHandler: { requestTimeout: 5000, connectionTimeout: 2000 } }));

export const issueDeps = {
  invoices: new DynamoDbInvoiceRepository(db, config.TABLE_NAME),
  documents: new S3DocumentStore(s3, config.DOCUMENTS_BUCKET),
  pdf: new PdfKitInvoiceRenderer(),
  invoiceUrl: (orderId: string) =>
    new URL(`invoices/${encodeURIComponent(orderId)}`, config.INVOICE_API_URL.replace(/\/?$/, '/')).href,
  mailer: new SesMailer(ses, db, config.TABLE_NAME, config.SENDER_EMAIL),
  now: () => new Date(),
  newId: () => globalThis.crypto.randomUUID(),
};
