import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import { AwsJsonError, awsJsonListener, LoopbackService } from './aws-json-server';

/** One secret as the local Secrets Manager keeps it: the current version only. */
export interface LocalSecret {
  arn: string;
  name: string;
  description?: string;
  value: string;
  versionId: string;
  created: number;
}

export class SecretsManagerError extends AwsJsonError {}

/** `GenerateSecretString` as CloudFormation does it: a random password, alone or under a key of a template. */
export function generateSecretString(spec: Record<string, unknown>): string {
  const length = Number(spec['PasswordLength'] ?? 32);
  const exclude = String(spec['ExcludeCharacters'] ?? '');
  let alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  if (!spec['ExcludePunctuation']) alphabet += '!#$%&()*+,-.:;<=>?[]^_{|}~';
  alphabet = [...alphabet].filter((c) => !exclude.includes(c)).join('');
  const bytes = randomBytes(length);
  const password = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  const template = spec['SecretStringTemplate'];
  const key = spec['GenerateStringKey'];
  if (typeof template === 'string' && typeof key === 'string')
    return JSON.stringify({ ...(JSON.parse(template) as object), [key]: password });
  return password;
}

/**
 * The part of AWS Secrets Manager the platform's functions and tools use, on loopback (AWS JSON 1.1):
 * `GetSecretValue`, `DescribeSecret`, `ListSecrets` and `PutSecretValue`, for the secrets the templates
 * declare. Each call is checked against the caller's role (`secretsmanager:<Action>` on the secret).
 */
export class LocalSecretsManager extends LoopbackService {
  private readonly secrets = new Map<string, LocalSecret>();

  constructor(
    private readonly o: {
      region: string;
      accountId: string;
      /** Returns AWS's denial message when the caller may not do this, else undefined. */
      authorize?: (req: http.IncomingMessage, action: string, resource: string) => string | undefined;
    },
  ) {
    super();
  }

  /** Creates a secret (as a template's `AWS::SecretsManager::Secret`); returns it with its ARN. */
  create(name: string, value: string, description?: string): LocalSecret {
    const existing = this.find(name);
    if (existing) return existing;
    // As in AWS: the name, a dash and six random characters.
    const suffix = randomBytes(3).toString('hex');
    const secret: LocalSecret = {
      arn: `arn:aws:secretsmanager:${this.o.region}:${this.o.accountId}:secret:${name}-${suffix}`,
      name,
      ...(description ? { description } : {}),
      value,
      versionId: randomUUID(),
      created: Date.now(),
    };
    this.secrets.set(secret.arn, secret);
    return secret;
  }

  /** A secret by ARN or name (what `SecretId` may be). */
  find(id: string): LocalSecret | undefined {
    return this.secrets.get(id) ?? [...this.secrets.values()].find((s) => s.name === id);
  }

  put(id: string, value: string): LocalSecret {
    const secret = this.find(id);
    if (!secret)
      throw new SecretsManagerError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    secret.value = value;
    secret.versionId = randomUUID();
    return secret;
  }

  async start(port = 0): Promise<this> {
    await this.listen(
      awsJsonListener({
        targetPrefix: 'secretsmanager',
        fallbackError: 'InvalidRequestException',
        operation: (action, input, req) => {
          const id = typeof input['SecretId'] === 'string' ? input['SecretId'] : '';
          const secret = id ? this.find(id) : undefined;
          const resource = secret?.arn ?? (id.startsWith('arn:') ? id : '*');
          const denied = this.o.authorize?.(req, `secretsmanager:${action}`, resource);
          if (denied) throw new SecretsManagerError('AccessDeniedException', denied);
          return this.operation(action, input, secret);
        },
      }),
      port,
    );
    return this;
  }

  private operation(action: string, input: Record<string, unknown>, secret?: LocalSecret): unknown {
    const found = () => {
      if (!secret)
        throw new SecretsManagerError(
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret.",
        );
      return secret;
    };
    switch (action) {
      case 'GetSecretValue': {
        const s = found();
        return {
          ARN: s.arn,
          Name: s.name,
          SecretString: s.value,
          VersionId: s.versionId,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: s.created / 1000,
        };
      }
      case 'DescribeSecret': {
        const s = found();
        return { ARN: s.arn, Name: s.name, Description: s.description, CreatedDate: s.created / 1000 };
      }
      case 'PutSecretValue': {
        const s = found();
        if (typeof input['SecretString'] !== 'string')
          throw new SecretsManagerError('InvalidParameterException', 'SecretString is required locally.');
        const updated = this.put(s.arn, input['SecretString']);
        return { ARN: updated.arn, Name: updated.name, VersionId: updated.versionId };
      }
      case 'ListSecrets':
        return {
          SecretList: [...this.secrets.values()].map((s) => ({
            ARN: s.arn,
            Name: s.name,
            Description: s.description,
          })),
        };
      default:
        throw new SecretsManagerError(
          'UnknownOperationException',
          `${action} is not served by the local Secrets Manager (GetSecretValue, DescribeSecret, PutSecretValue, ListSecrets).`,
        );
    }
  }
}
