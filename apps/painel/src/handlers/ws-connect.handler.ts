import type { APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import { logger } from '@order-platform/lambda-kit';
import { connections } from '../composition';

const registry = connections();

/** `$connect` (after the authorizer admitted an admin): keeps the connection for the fan-out. */
export const handler = async (event: APIGatewayProxyWebsocketEventV2, context: Context) => {
  logger.addContext(context);
  const { connectionId } = event.requestContext;
  const authorizer = (event.requestContext as { authorizer?: Record<string, string> }).authorizer ?? {};
  await registry.add({
    connectionId,
    userId: authorizer['userId'] ?? authorizer['principalId'] ?? 'unknown',
    email: authorizer['email'] || undefined,
    ...(Number(authorizer['tokenExpiresAt']) > 0
      ? { tokenExpiresAt: Number(authorizer['tokenExpiresAt']) }
      : {}),
  });
  logger.info('Admin connected', { connectionId, userId: authorizer['userId'] });
  return { statusCode: 200 };
};
