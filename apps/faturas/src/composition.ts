// Composition root: SDK clients, adapters and use-case dependencies, built once per cold start.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { documentClient } from '@order-platform/aws-adapters';
import { traced } from '@order-platform/lambda-kit';
import { DynamoDbInvoiceRepository } from './adapters/dynamodb-invoice.repository';
import { S3DocumentLinks } from './adapters/s3-document-links';
import { config } from './config';

export const invoices = new DynamoDbInvoiceRepository(
  documentClient(traced(new DynamoDBClient({}))),
  config.TABLE_NAME,
);
// Path-style addressing works with every S3 endpoint, the local emulator's included.
export const links = new S3DocumentLinks(
  traced(new S3Client({ forcePathStyle: true })),
  config.DOCUMENTS_BUCKET,
);
