import type { APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import { logger } from '@order-platform/lambda-kit';
import { connections } from '../composition';

const registry = connections();

/** `$disconnect`: forgets the connection. */
export const handler = async (event: APIGatewayProxyWebsocketEventV2, context: Context) => {
  logger.addContext(context);
  await registry.remove(event.requestContext.connectionId);
  logger.info('Admin disconnected', { connectionId: event.requestContext.connectionId });
  return { statusCode: 200 };
};
