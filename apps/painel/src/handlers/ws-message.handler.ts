import type { APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import { logger } from '@order-platform/lambda-kit';
import { handleClientMessage } from '../application/live-feed.use-case';
import { clock, liveFeed } from '../composition';

const deps = { ...liveFeed(), clock };

/** `subscribe`, `snapshot`, `timeline` and `$default`: answers on the caller's connection. */
export const handler = async (event: APIGatewayProxyWebsocketEventV2, context: Context) => {
  logger.addContext(context);
  const { connectionId, routeKey } = event.requestContext;
  let body: unknown;
  try {
    body = JSON.parse(event.body ?? '');
  } catch {
    body = undefined;
  }
  await handleClientMessage(deps, connectionId, body);
  logger.info('Client message answered', { connectionId, routeKey });
  return { statusCode: 200 };
};
