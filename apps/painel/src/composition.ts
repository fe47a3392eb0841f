// Composition root: SDK clients, adapters and use-case dependencies, built once per cold start.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '@order-platform/aws-adapters';
import { traced } from '@order-platform/lambda-kit';
import { DynamoDbEventLog } from './adapters/dynamodb-event-log';
import { config } from './config';

export const log = new DynamoDbEventLog(documentClient(traced(new DynamoDBClient({}))), config.TABLE_NAME);
