import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '@order-platform/local-cloud';
import { seedDemo } from './demo-seed';
import { synthLocal } from './synth-local';

/**
 * The order platform on the local cloud: the CDK app's `local` stage, synthesized when its sources changed,
 * with the demo users, catalog and partner put in through its APIs (`seed: false` for none).
 */
export function startPlatformLocally(
  options: Omit<LocalCloudOptions, 'seed'> & { seed?: false } = {},
): Promise<LocalCloud> {
  const { seed, ...rest } = options;
  return startLocalCloud({
    synthesize: synthLocal,
    ...rest,
    ...(seed === false ? {} : { seed: seedDemo }),
  });
}

/** A demo user's ID token (`customer`, `admin`, ...), signed in as a client of the pool would. */
export async function signIn(cloud: LocalCloud, user: string): Promise<string> {
  const u = cloud.outputs.users[user];
  if (!u)
    throw new Error(`No demo user "${user}" (there are ${Object.keys(cloud.outputs.users).join(', ')})`);
  const auth = await cloud.clients.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: cloud.outputs.cognito.clientId!,
      AuthParameters: { USERNAME: u.username, PASSWORD: u.password },
    }),
  );
  return auth.AuthenticationResult!.IdToken!;
}
