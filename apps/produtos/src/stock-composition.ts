// Composition root of the stock functions: built once per cold start.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '@order-platform/aws-adapters';
import { traced } from '@order-platform/lambda-kit';
import { DynamoDbStockLedger } from './adapters/dynamodb-stock.ledger';
import { config } from './config';

export const ledger = new DynamoDbStockLedger(
  documentClient(traced(new DynamoDBClient({}))),
  config.TABLE_NAME,
);
