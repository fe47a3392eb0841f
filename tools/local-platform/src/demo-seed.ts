import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createUsers, type SeedContext, type SeedResult } from '@order-platform/local-cloud';
import { callApi } from '@order-platform/testing';
import { DEMO_PARTNER, DEMO_PRODUCTS, DEMO_USERS } from './demo-data';

/**
 * Puts the demo data in the running platform the way an operator would: the users through Cognito's admin
 * API (the platform's identity provider), the catalog through `POST /products` and the partner through
 * `POST /partners`, both as the demo admin. No table layout is known here: each service stores what its own
 * API accepts, with its events.
 */
export async function seedDemo(ctx: SeedContext): Promise<SeedResult> {
  const result: SeedResult = { users: {}, apiKeys: [] };
  const { userPoolId, clientId } = ctx.cognito;
  if (!userPoolId || !clientId) return result;
  result.users = await createUsers(ctx, DEMO_USERS);
  const admin = result.users['admin']!;
  const session = await ctx.clients.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: admin.username, PASSWORD: admin.password },
    }),
  );
  const token = session.AuthenticationResult!.IdToken!;
  const call = async (path: string, body: unknown) => {
    const res = await callApi(ctx.apiUrl, 'POST', path, { token, body });
    // 409: already there (a seed that ran before on the same data).
    if (res.status >= 300 && res.status !== 409)
      throw new Error(`Seeding ${path} failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };
  // The catalog and the partner side by side: their first calls start two functions, each cold.
  const catalog = (async () => {
    for (const { sku, name, description, price, onHand } of DEMO_PRODUCTS)
      await call('/products', { sku, name, description, price, stock: onHand });
  })();
  const [partner] = await Promise.all([call('/partners', DEMO_PARTNER), catalog]);
  if (partner.status === 201)
    result.apiKeys.push({
      name: DEMO_PARTNER.partnerId,
      apiKey: partner.body.apiKey,
      apiKeyId: partner.body.apiKeyId,
    });
  return result;
}
