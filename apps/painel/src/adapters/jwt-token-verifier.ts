import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { TokenVerifier, VerifiedUser } from '../application/admin-access';

/**
 * Verifies Cognito ID tokens with aws-jwt-verify: RS256 signature against the pool's JWKS, issuer (the
 * pool's provider URL), audience (the app client), expiry and `token_use = id`. The JWKS is fetched with
 * the runtime's `fetch`, so any issuer URL the pool has works, and it is cached for the sandbox's life.
 */
export class CognitoIdTokenVerifier implements TokenVerifier {
  private readonly verifier;

  constructor(issuer: string, clientId: string) {
    this.verifier = JwtRsaVerifier.create(
      {
        issuer,
        audience: clientId,
        jwksUri: `${issuer}/.well-known/jwks.json`,
        customJwtCheck: ({ payload }) => {
          if (payload['token_use'] !== 'id') throw new Error('an ID token is required');
        },
      },
      {
        jwksCache: new SimpleJwksCache({
          fetcher: {
            fetch: async (uri: string) => {
              const res = await fetch(uri, { signal: AbortSignal.timeout(3000) });
              if (!res.ok) throw new Error(`JWKS: HTTP ${res.status}`);
              return res.arrayBuffer();
            },
          },
        }),
      },
    );
  }

  async verify(token: string): Promise<VerifiedUser> {
    const payload = await this.verifier.verify(token);
    const groups = payload['cognito:groups'];
    return {
      sub: String(payload.sub),
      email: typeof payload['email'] === 'string' ? payload['email'] : undefined,
      groups: Array.isArray(groups) ? groups.map(String) : [],
      ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp } : {}),
    };
  }
}
