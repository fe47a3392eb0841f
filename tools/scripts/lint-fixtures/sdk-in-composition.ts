// as: apps/pedidos/src/composition.ts
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '@order-platform/aws-adapters';
import { DynamoDbOrderRepository } from './adapters/dynamodb-order.repository';

export const orders = new DynamoDbOrderRepository(documentClient(new DynamoDBClient({})), 'table');
