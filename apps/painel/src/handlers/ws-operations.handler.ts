import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { messageBody } from './ws-body';
import { instrumented, logger, metrics, MetricUnit } from '@order-platform/lambda-kit';
import { handleOperation } from '../application/operations.use-case';
import { operations } from '../composition';

/**
 * `ops.queues`, `ops.redrive`, `ops.stuck`, `ops.partners`: the operations view, answered on the caller's
 * connection. A function of its own, so only it holds the permissions to read and redrive the stage's DLQs.
 */
export const handler = instrumented(async (event: APIGatewayProxyWebsocketEventV2) => {
  const { connectionId, routeKey } = event.requestContext;
  const body = messageBody(event);
  const answer = (await handleOperation(operations(), connectionId, body)) as {
    type: string;
    moved?: number;
    message?: string;
  };
  // Every operator action is logged with its outcome (the audit entry is in painel's feed as well).
  if (answer.type === 'error')
    logger.warn('Operation refused or failed', { connectionId, routeKey, message: answer.message });
  else
    logger.info('Operation answered', { connectionId, routeKey, answer: answer.type, moved: answer.moved });
  metrics.addMetric('Operations', MetricUnit.Count, 1);
  return { statusCode: 200 };
});
