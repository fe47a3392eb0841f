// Composition root of the partner functions.
import { DynamoDbPartnerRegistry } from './adapters/dynamodb-partner.registry';
import { dynamo } from './composition';
import { config } from './config';

export const partners = new DynamoDbPartnerRegistry(dynamo, config.TABLE_NAME);
