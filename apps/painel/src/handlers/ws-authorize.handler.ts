import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { instrumented, logger, metrics, MetricUnit } from '@order-platform/lambda-kit';
import { authorizerResponse, decideAccess } from '../application/admin-access';
import { verifier } from '../composition';

const tokens = verifier();

/** `$connect` REQUEST authorizer: only a valid Cognito ID token (`?token=`) of the `admins` group gets in. */
export const handler = instrumented(async (event: APIGatewayRequestAuthorizerEvent) => {
  const decision = await decideAccess(tokens, event.queryStringParameters?.['token']);
  logger.info('Live feed access', {
    effect: decision.effect,
    ...(decision.effect === 'Unauthorized' ? { reason: decision.reason } : { userId: decision.user.sub }),
  });
  metrics.addMetric(
    decision.effect === 'Allow' ? 'LiveFeedAdmitted' : 'LiveFeedRefused',
    MetricUnit.Count,
    1,
  );
  return authorizerResponse(decision, event.methodArn);
});
