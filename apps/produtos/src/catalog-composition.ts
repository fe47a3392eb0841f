// Composition root of the admin catalog functions: built once per cold start.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '@order-platform/aws-adapters';
import { traced } from '@order-platform/lambda-kit';
import { DynamoDbCatalogWriter } from './adapters/dynamodb-catalog.writer';
import { config } from './config';

export const catalog = new DynamoDbCatalogWriter(
  documentClient(traced(new DynamoDBClient({}))),
  config.TABLE_NAME,
);
export const clock = { now: () => new Date() };
