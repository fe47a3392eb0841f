// Composition root: SDK clients, adapters and use-case dependencies, built once per cold start.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '@order-platform/aws-adapters';
import { traced } from '@order-platform/lambda-kit';
import { DynamoDbProductRepository } from './adapters/dynamodb-product.repository';
import { config } from './config';

export const products = new DynamoDbProductRepository(
  documentClient(traced(new DynamoDBClient({}))),
  config.TABLE_NAME,
);
