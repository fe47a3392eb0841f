// Composition root of the partner functions.
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { parseConfig, traced } from '@order-platform/lambda-kit';
import { z } from 'zod';
import { ApiGatewayPartnerKeys } from './adapters/apigateway-partner.keys';
import { DynamoDbPartnerRegistry } from './adapters/dynamodb-partner.registry';
import { dynamo } from './composition';
import { config } from './config';

export const partners = new DynamoDbPartnerRegistry(dynamo, config.TABLE_NAME);

/** Whether partners' callbacks may go to this machine's loopback: the local stage only. */
export const callbackRules = {
  allowLoopbackCallbacks:
    parseConfig(z.object({ CALLBACKS_ALLOW_LOOPBACK: z.enum(['true', 'false']).default('false') }))
      .CALLBACKS_ALLOW_LOOPBACK === 'true',
};

/** The key manager, for the admin routes only (they alone have the usage plan id and the rights). */
export function partnerKeys(): ApiGatewayPartnerKeys {
  const { PARTNER_USAGE_PLANS } = parseConfig(
    z.object({
      /** `{ "standard": "<plan name>", "trial": "<plan name>" }` */
      PARTNER_USAGE_PLANS: z
        .string()
        .transform((v) => JSON.parse(v) as unknown)
        .pipe(z.object({ standard: z.string().min(1), trial: z.string().min(1) })),
    }),
  );
  return new ApiGatewayPartnerKeys(traced(new APIGatewayClient({})), PARTNER_USAGE_PLANS);
}
