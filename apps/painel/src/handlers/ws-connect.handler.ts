import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { instrumented, logger, metrics, MetricUnit } from '@order-platform/lambda-kit';
import { connections } from '../composition';

const registry = connections();

/** `$connect` (after the authorizer admitted an admin): keeps the connection for the fan-out. */
export const handler = instrumented(async (event: APIGatewayProxyWebsocketEventV2) => {
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
  metrics.addMetric('LiveFeedConnected', MetricUnit.Count, 1);
  return { statusCode: 200 };
});
