// as: apps/produtos/src/domain/fixture.ts
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export const client = new DynamoDBClient({});
