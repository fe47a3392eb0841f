import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { instrumented, logger, metrics, MetricUnit } from '@order-platform/lambda-kit';
import { connections } from '../composition';

const registry = connections();

/** `$disconnect`: forgets the connection. */
export const handler = instrumented(async (event: APIGatewayProxyWebsocketEventV2) => {
  await registry.remove(event.requestContext.connectionId);
  logger.info('Admin disconnected', { connectionId: event.requestContext.connectionId });
  metrics.addMetric('LiveFeedDisconnected', MetricUnit.Count, 1);
  return { statusCode: 200 };
});
