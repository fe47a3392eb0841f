import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  ListGroupsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import type { SeedContext, SeedResult } from './local-cloud';

/** A password that satisfies a default pool policy, new every run. */
const password = () => `Local-${randomBytes(6).toString('hex')}#A1`;

/**
 * Creates users in the templates' user pool for a seed: verified e-mail usernames, a fresh permanent
 * password each, and the groups of theirs the pool has. Returns them as the outputs list them.
 */
export async function createUsers(
  ctx: Pick<SeedContext, 'clients' | 'cognito'>,
  users: readonly { name: string; username: string; groups: readonly string[] }[],
): Promise<SeedResult['users']> {
  const created: SeedResult['users'] = {};
  const poolId = ctx.cognito.userPoolId;
  if (!poolId) return created;
  const cognito = ctx.clients.cognito;
  const listed = await cognito.send(new ListGroupsCommand({ UserPoolId: poolId }));
  const groups = new Set((listed.Groups ?? []).map((g) => g.GroupName!));
  for (const u of users) {
    const pw = password();
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: u.username,
        MessageAction: 'SUPPRESS',
        TemporaryPassword: pw,
        UserAttributes: [
          { Name: 'email', Value: u.username },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: u.username,
        Password: pw,
        Permanent: true,
      }),
    );
    const theirs = u.groups.filter((g) => groups.has(g));
    for (const g of theirs)
      await cognito.send(
        new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: u.username, GroupName: g }),
      );
    created[u.name] = { username: u.username, password: pw, groups: theirs };
  }
  return created;
}
