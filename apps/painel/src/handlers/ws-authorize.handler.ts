import type { APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { logger } from '@order-platform/lambda-kit';
import { authorizerResponse, decideAccess } from '../application/admin-access';
import { verifier } from '../composition';

const tokens = verifier();

/** `$connect` REQUEST authorizer: only a valid Cognito ID token (`?token=`) of the `admins` group gets in. */
export const handler = async (event: APIGatewayRequestAuthorizerEvent, context: Context) => {
  logger.addContext(context);
  const decision = await decideAccess(tokens, event.queryStringParameters?.['token']);
  logger.info('Live feed access', {
    effect: decision.effect,
    ...(decision.effect === 'Unauthorized' ? { reason: decision.reason } : { userId: decision.user.sub }),
  });
  return authorizerResponse(decision, event.methodArn);
};
