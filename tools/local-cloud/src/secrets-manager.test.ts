import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { generateSecretString, LocalSecretsManager } from './secrets-manager';

let local: LocalSecretsManager;
let client: SecretsManagerClient;
const denied: string[] = [];

beforeAll(async () => {
  local = await new LocalSecretsManager({
    region: 'us-east-1',
    accountId: '000000000000',
    // A stand-in for the local IAM: this caller may read any secret but the one named "forbidden".
    authorize: (_req, action, resource) => {
      if (!resource.includes(':secret:forbidden')) return undefined;
      denied.push(`${action} ${resource}`);
      return `not authorized to perform: ${action} on resource: ${resource}`;
    },
  }).start();
  client = new SecretsManagerClient({
    region: 'us-east-1',
    endpoint: local.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(() => local.stop());

describe('local Secrets Manager', () => {
  it('serves a secret by ARN and by name through the SDK, and a new value after PutSecretValue', async () => {
    // Prepare
    const secret = local.create('legacy-db', '{"username":"erp","password":"p1"}');
    // Act
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: secret.arn }));
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'legacy-db' }));
    await client.send(new PutSecretValueCommand({ SecretId: secret.arn, SecretString: '{"password":"p2"}' }));
    const after = await client.send(new GetSecretValueCommand({ SecretId: 'legacy-db' }));
    const described = await client.send(new DescribeSecretCommand({ SecretId: 'legacy-db' }));
    const listed = await client.send(new ListSecretsCommand({}));
    // Assess
    expect(secret.arn).toMatch(
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:legacy-db-[0-9a-f]{6}$/,
    );
    expect([byArn.SecretString, byName.ARN]).toEqual(['{"username":"erp","password":"p1"}', secret.arn]);
    expect(after.SecretString).toBe('{"password":"p2"}');
    expect(after.VersionId).not.toBe(byArn.VersionId);
    expect(described.Name).toBe('legacy-db');
    expect(listed.SecretList?.map((s) => s.Name)).toContain('legacy-db');
  });

  it('answers ResourceNotFoundException for an unknown secret and AccessDeniedException where the role says no', async () => {
    // Prepare
    const forbidden = local.create('forbidden', 'x');
    // Act
    const unknown = client.send(new GetSecretValueCommand({ SecretId: 'nope' }));
    const refused = client.send(new GetSecretValueCommand({ SecretId: forbidden.arn }));
    // Assess
    await expect(unknown).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(refused).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(denied).toEqual([`secretsmanager:GetSecretValue ${forbidden.arn}`]);
  });

  it('generates a password into the template as CloudFormation does, honouring excluded characters', () => {
    // Act
    const value = JSON.parse(
      generateSecretString({
        SecretStringTemplate: '{"username":"erp_admin"}',
        GenerateStringKey: 'password',
        PasswordLength: 30,
        ExcludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\',
      }),
    ) as { username: string; password: string };
    // Assess
    expect(value.username).toBe('erp_admin');
    expect(value.password).toHaveLength(30);
    expect(value.password).not.toMatch(/[ %+~`#$&*()|[\]{}:;<>?!'/@"\\]/);
  });
});
