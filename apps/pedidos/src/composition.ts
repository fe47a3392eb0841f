// Composition root: SDK clients, adapters and use-case dependencies, built once per cold start.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '@order-platform/aws-adapters';
import { traced } from '@order-platform/lambda-kit';
import { DynamoDbOrderRepository } from './adapters/dynamodb-order.repository';
import { config } from './config';

export const dynamo = documentClient(traced(new DynamoDBClient({})));
export const orders = new DynamoDbOrderRepository(dynamo, config.TABLE_NAME);
export const clock = { now: () => new Date(), newId: () => globalThis.crypto.randomUUID() };
