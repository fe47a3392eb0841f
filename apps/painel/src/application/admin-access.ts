/** The claims painel needs from a verified Cognito ID token. */
export interface VerifiedUser {
  sub: string;
  email?: string;
  groups: string[];
  /** The token's expiry (epoch seconds). */
  expiresAt?: number;
}

/** Verifies a token's signature, issuer, audience, expiry and use; throws when any check fails. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedUser>;
}

export type AccessDecision =
  | { effect: 'Allow'; user: VerifiedUser }
  | { effect: 'Deny'; user: VerifiedUser }
  | { effect: 'Unauthorized'; reason: string };

/**
 * Decides who may open the live feed: a valid token of the `admins` group. No token or a bad one is
 * `Unauthorized` (401); a valid token of anyone else is `Deny` (403).
 */
export async function decideAccess(
  verifier: TokenVerifier,
  token: string | undefined,
): Promise<AccessDecision> {
  if (!token) return { effect: 'Unauthorized', reason: 'no token' };
  let user: VerifiedUser;
  try {
    user = await verifier.verify(token);
  } catch (error) {
    return { effect: 'Unauthorized', reason: (error as Error).message };
  }
  return user.groups.includes('admins') ? { effect: 'Allow', user } : { effect: 'Deny', user };
}

/** The REQUEST authorizer's answer to API Gateway: an IAM policy for `$connect`, or `Unauthorized` (401). */
export function authorizerResponse(decision: AccessDecision, methodArn: string) {
  if (decision.effect === 'Unauthorized') throw new Error('Unauthorized');
  return {
    principalId: decision.user.sub,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: decision.effect, Resource: methodArn }],
    },
    // Handed to the connection's routes in `requestContext.authorizer`.
    context: {
      userId: decision.user.sub,
      email: decision.user.email ?? '',
      tokenExpiresAt: String(decision.user.expiresAt ?? ''),
    },
  };
}
