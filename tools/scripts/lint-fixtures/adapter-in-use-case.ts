// as: apps/pedidos/src/application/fixture.use-case.ts
import { documentClient } from '@order-platform/aws-adapters';
import { DynamoDbOrderRepository } from '../adapters/dynamodb-order.repository';

export const repository = (client: never) => new DynamoDbOrderRepository(documentClient(client), 'table');
