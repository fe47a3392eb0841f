// Composition root of faturas: the one place that wires SDK clients and adapters to the ports. Everything
// is built on first use, once per sandbox, so each function builds only what it uses.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SESClient } from '@aws-sdk/client-ses';
import { documentClient, outboxPublishing, retryWithBackoff, SesMailer } from '@order-platform/aws-adapters';
import { lazy, traced } from '@order-platform/lambda-kit';
import { DynamoDbInvoiceRepository } from './adapters/dynamodb-invoice.repository';
import { PdfKitInvoiceRenderer } from './adapters/pdfkit-invoice.renderer';
import { S3DocumentLinks } from './adapters/s3-document-links';
import { S3DocumentStore } from './adapters/s3-document.store';
import type { IssueInvoiceDeps } from './application/issue-invoice.use-case';
import { linkConfig, mailConfig, storageConfig } from './config';

const db = /* @__PURE__ */ lazy(() => documentClient(traced(new DynamoDBClient({}))));
// Path-style addressing works with every S3 endpoint, the local emulator's included.
const s3 = /* @__PURE__ */ lazy(() => traced(new S3Client({ forcePathStyle: true })));

export const invoices = /* @__PURE__ */ lazy(
  () => new DynamoDbInvoiceRepository(db(), storageConfig().TABLE_NAME),
);
/** 5-minute links to the documents, signed for whoever the API lets see the invoice. */
export const links = /* @__PURE__ */ lazy(() => {
  const { AWS_REGION, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL } = linkConfig();
  const endpoint = AWS_ENDPOINT_URL_S3 ?? AWS_ENDPOINT_URL;
  // A function's credentials are its environment's (the execution role's session), as the SDK reads them.
  return new S3DocumentLinks(storageConfig().DOCUMENTS_BUCKET, {
    region: AWS_REGION,
    credentials: fromEnv(),
    ...(endpoint ? { endpoint } : {}),
  });
});

/** What issuing (and cancelling) an invoice works with. */
export const issueDeps = /* @__PURE__ */ lazy((): IssueInvoiceDeps => {
  const { TABLE_NAME, DOCUMENTS_BUCKET } = storageConfig();
  const { SENDER_EMAIL, INVOICE_API_URL } = mailConfig();
  // A short SES timeout: a call that hangs must fail its record (and retry), not the whole batch.
  const ses = traced(new SESClient({ requestHandler: { requestTimeout: 5000, connectionTimeout: 2000 } }));
  return {
    invoices: invoices(),
    documents: new S3DocumentStore(s3(), DOCUMENTS_BUCKET),
    pdf: new PdfKitInvoiceRenderer(),
    invoiceUrl: (orderId) =>
      new URL(`invoices/${encodeURIComponent(orderId)}`, INVOICE_API_URL.replace(/\/?$/, '/')).href,
    mailer: new SesMailer(ses, db(), TABLE_NAME, SENDER_EMAIL),
    now: () => new Date(),
    newId: () => globalThis.crypto.randomUUID(),
  };
});

/** The inbox consumer's retry with backoff; the outbox publisher's wiring. */
export const retrySoon = /* @__PURE__ */ retryWithBackoff();
export const outbox = /* @__PURE__ */ lazy(outboxPublishing);
