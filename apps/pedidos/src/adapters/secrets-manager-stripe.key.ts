import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * Reads the Stripe secret key from its Secrets Manager secret: the key itself (`sk_...`) or JSON with an
 * `apiKey`. Called by the Stripe adapter on its first charge, once per sandbox; the key is never logged.
 */
export function secretsManagerStripeKey(
  client: SecretsManagerClient,
  secretArn: string,
): () => Promise<string> {
  return async () => {
    const res = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const value = res.SecretString ?? '';
    const key = value.trim().startsWith('{') ? (JSON.parse(value) as { apiKey?: string }).apiKey : value;
    if (!key?.startsWith('sk_')) throw new Error('The payment secret holds no Stripe secret key (sk_...)');
    return key.trim();
  };
}
