import { RemovalPolicy } from 'aws-cdk-lib';

export const STAGES = ['dev', 'prod', 'local'] as const;
export type Stage = (typeof STAGES)[number];

/** Everything that differs between stages, in one place; the service stacks never branch on the stage. */
export interface StageConfig {
  stage: Stage;
  removalPolicy: RemovalPolicy;
  /** Who is e-mailed when an alarm of the stage fires (subscribed to the stage's alarm topic). */
  alarmEmail?: string;
  /** Demo data (the demo partner's API key): local and dev, never prod. */
  demoData: boolean;
  /** Partner callbacks may go to loopback over plain HTTP: the local cloud only. */
  loopbackCallbacks: boolean;
  /** Who charges cards: the simulator (local, dev) or Stripe (prod; never the simulator there). */
  paymentProvider: 'simulator' | 'stripe';
  /** Browser origins the REST APIs answer (CORS): the local dashboard's origin locally, configured elsewhere. */
  corsOrigins: string[];
}

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
  return {
    stage,
    removalPolicy: stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    demoData: stage !== 'prod',
    loopbackCallbacks: stage === 'local',
    paymentProvider: provider,
    corsOrigins: (
      text(`corsOrigins.${stage}`) ??
      text('corsOrigins') ??
      (stage === 'local' ? 'http://127.0.0.1:3002,http://localhost:3002' : '')
    )
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    ...(alarmEmail ? { alarmEmail } : {}),
  };
}
