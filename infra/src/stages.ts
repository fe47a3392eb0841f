import { RemovalPolicy } from 'aws-cdk-lib';
import {
  DEFAULT_RATE_LIMITS,
  type ApiOptions,
  type OutcomeWebhook,
  type RateLimits,
} from '@order-platform/cdk-constructs';

export const STAGES = ['dev', 'prod', 'local'] as const;
export type Stage = (typeof STAGES)[number];

/** Everything that differs between stages, in one place; the service stacks never branch on the stage. */
export interface StageConfig {
  stage: Stage;
  removalPolicy: RemovalPolicy;
  /** Who is e-mailed when an alarm of the stage fires (subscribed to the stage's alarm topic). */
  alarmEmail?: string;
  /** Partner callbacks may go to loopback over plain HTTP: the local cloud only. */
  loopbackCallbacks: boolean;
  /** Who charges cards: the simulator (local, dev) or Stripe (prod; never the simulator there). */
  paymentProvider: 'simulator' | 'stripe';
  /**
   * The REST APIs: browser origins they answer (CORS; the local dashboard's origin locally, configured
   * elsewhere) and the per-caller / per-address rate limits per minute (`rateLimitPerCaller`,
   * `rateLimitPerAddress`; 600 and 3,000 by default).
   */
  api: Required<ApiOptions>;
  /**
   * The integration bus (ADR 0015): how many days its archive keeps events (`eventArchiveDays`; 365 in
   * prod, 30 elsewhere) and where order outcomes are posted (`outcomeWebhookUrl`, an HTTPS URL, with
   * `outcomeWebhookSecret`, the Secrets Manager secret holding its API key; locally a stand-in endpoint
   * the local cloud records).
   */
  events: { archiveRetentionDays: number; outcomeWebhook?: OutcomeWebhook };
  /**
   * The legacy channel (seed 004, ADR 0016): `legacySource` = `aurora` (the stack creates an Aurora MySQL
   * cluster), `existing` (with `legacySecret`, the Secrets Manager secret holding its host, port,
   * username and password, as RDS writes them) or `off`. Off by default in dev and prod (it costs around the clock); the
   * local stage runs it on MariaDB.
   */
  legacy?: { source: LegacySource; tls: 'rds' | 'off' };
}

/** Where the legacy channel's orders come from (see pedidos' LegacyChannel). */
export type LegacySource = { kind: 'aurora' } | { kind: 'existing'; secretName: string };

export class StageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageConfigError';
  }
}

/**
 * The configuration of a stage, from the CDK context (`cdk.context.json` at the workspace root, which
 * `nx synth` and `nx deploy` pass on) or `ORDER_PLATFORM_ALARM_EMAIL`; a key per stage (`alarmEmail.prod`,
 * `paymentProvider.dev`) wins over the plain one.
 */
export function stageConfig(stage: Stage, context: (key: string) => unknown = () => undefined): StageConfig {
  const text = (key: string) => {
    const value = context(key);
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  };
  const alarmEmail =
    text(`alarmEmail.${stage}`) ?? text('alarmEmail') ?? process.env['ORDER_PLATFORM_ALARM_EMAIL']?.trim();
  if (alarmEmail && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail))
    throw new StageConfigError(`alarmEmail "${alarmEmail}" is not an e-mail address`);
  const provider =
    text(`paymentProvider.${stage}`) ??
    text('paymentProvider') ??
    (stage === 'prod' ? 'stripe' : 'simulator');
  if (provider !== 'simulator' && provider !== 'stripe')
    throw new StageConfigError(`paymentProvider "${provider}" is neither simulator nor stripe`);
  if (stage === 'prod' && provider === 'simulator')
    throw new StageConfigError(
      'The prod stage cannot charge through the payment simulator: use paymentProvider=stripe (the default for prod).',
    );
  const limit = (key: keyof RateLimits, name: string) => {
    const value = text(`${name}.${stage}`) ?? text(name);
    if (value === undefined) return DEFAULT_RATE_LIMITS[key];
    const n = Number(value);
    // AWS WAF takes 10 to 2,000,000,000 requests per window.
    if (!Number.isInteger(n) || n < 10 || n > 2_000_000_000)
      throw new StageConfigError(
        `${name} "${value}" is not a whole number of requests from 10 to 2000000000`,
      );
    return n;
  };
  const archiveDays = text(`eventArchiveDays.${stage}`) ?? text('eventArchiveDays');
  const archiveRetentionDays =
    archiveDays === undefined ? (stage === 'prod' ? 365 : 30) : Number(archiveDays);
  if (!Number.isInteger(archiveRetentionDays) || archiveRetentionDays < 0)
    throw new StageConfigError(
      `eventArchiveDays "${archiveDays}" is not a whole number of days (0: for ever)`,
    );
  const webhookUrl = text(`outcomeWebhookUrl.${stage}`) ?? text('outcomeWebhookUrl');
  const webhookSecret = text(`outcomeWebhookSecret.${stage}`) ?? text('outcomeWebhookSecret');
  if (webhookUrl && !/^https:\/\/[^/\s]+/.test(webhookUrl))
    throw new StageConfigError(
      `outcomeWebhookUrl "${webhookUrl}" is not an https:// URL (API destinations take HTTPS only)`,
    );
  if (webhookUrl && !webhookSecret && stage !== 'local')
    throw new StageConfigError(
      'outcomeWebhookUrl needs outcomeWebhookSecret: the Secrets Manager secret with its API key',
    );
  const outcomeWebhook: OutcomeWebhook | undefined = webhookUrl
    ? {
        url: webhookUrl,
        apiKey: webhookSecret ? { secretName: webhookSecret } : { localValue: 'local-erp-key' },
      }
    : stage === 'local'
      ? // The local cloud records what is posted to a host it cannot reach (see its EventBridge).
        { url: 'https://erp.example.invalid/order-outcomes', apiKey: { localValue: 'local-erp-key' } }
      : undefined;
  const legacyKind =
    text(`legacySource.${stage}`) ?? text('legacySource') ?? (stage === 'local' ? 'aurora' : 'off');
  let legacy: StageConfig['legacy'];
  if (legacyKind === 'aurora')
    legacy = { source: { kind: 'aurora' }, tls: stage === 'local' ? 'off' : 'rds' };
  else if (legacyKind === 'existing') {
    const secretName = text(`legacySecret.${stage}`) ?? text('legacySecret');
    if (!secretName)
      throw new StageConfigError(
        'legacySource=existing needs legacySecret: the Secrets Manager secret with host, port, username and password',
      );
    legacy = { source: { kind: 'existing', secretName }, tls: 'rds' };
  } else if (legacyKind !== 'off')
    throw new StageConfigError(`legacySource "${legacyKind}" is none of aurora, existing, off`);
  return {
    stage,
    ...(legacy ? { legacy } : {}),
    events: { archiveRetentionDays, ...(outcomeWebhook ? { outcomeWebhook } : {}) },
    removalPolicy: stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    loopbackCallbacks: stage === 'local',
    paymentProvider: provider,
    api: {
      corsOrigins: (
        text(`corsOrigins.${stage}`) ??
        text('corsOrigins') ??
        (stage === 'local' ? 'http://127.0.0.1:3002,http://localhost:3002' : '')
      )
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      rateLimits: {
        perCaller: limit('perCaller', 'rateLimitPerCaller'),
        perAddress: limit('perAddress', 'rateLimitPerAddress'),
      },
    },
    ...(alarmEmail ? { alarmEmail } : {}),
  };
}
