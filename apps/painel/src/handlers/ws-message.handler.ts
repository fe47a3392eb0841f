import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { messageBody } from './ws-body';
import { instrumented, logger, metrics, MetricUnit } from '@order-platform/lambda-kit';
import { handleClientMessage } from '../application/live-feed.use-case';
import { clock, liveFeed, traces } from '../composition';

const deps = { ...liveFeed(), clock, traces: traces() };

/** `subscribe`, `snapshot`, `timeline`, `trace` and `$default`: answers on the caller's connection. */
export const handler = instrumented(async (event: APIGatewayProxyWebsocketEventV2) => {
  const { connectionId, routeKey } = event.requestContext;
  const body = messageBody(event);
  await handleClientMessage(deps, connectionId, body);
  logger.info('Client message answered', { connectionId, routeKey });
  metrics.addMetric('LiveFeedMessages', MetricUnit.Count, 1);
  return { statusCode: 200 };
});
