/**
 * What `@aws-sdk/credential-provider-node` resolves to inside a Lambda bundle. The Lambda runtime hands
 * every execution environment its role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN, so the default chain's other links (SSO, ini files, process, web identity, ECS/IMDS)
 * never apply there; they and the STS/SSO clients they bring cost ~150 KiB per bundle and init time.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Read once and kept, as the default chain keeps credentials without an expiry: `fromEnv` alone reads six
 * variables on every request the client signs. A failed read is not kept.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => {
  const read = fromEnv(init);
  let credentials: ReturnType<typeof read> | undefined;
  return () => {
    credentials ??= read().catch((error: unknown) => {
      credentials = undefined;
      throw error;
    });
    return credentials;
  };
};
