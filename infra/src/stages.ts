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
}

/**
 * The configuration of a stage. `alarmEmail` comes from the CDK context (`-c alarmEmail=ops@example.com`
 * or `cdk.context.json`) or `ORDER_PLATFORM_ALARM_EMAIL`; a context key per stage (`alarmEmail.prod`) wins.
 */
export function stageConfig(stage: Stage, context: (key: string) => unknown = () => undefined): StageConfig {
  const text = (key: string) => {
    const value = context(key);
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  };
  const alarmEmail =
    text(`alarmEmail.${stage}`) ?? text('alarmEmail') ?? process.env['ORDER_PLATFORM_ALARM_EMAIL']?.trim();
  if (alarmEmail && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail))
    throw new Error(`alarmEmail "${alarmEmail}" is not an e-mail address`);
  return {
    stage,
    removalPolicy: stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    demoData: stage !== 'prod',
    loopbackCallbacks: stage === 'local',
    ...(alarmEmail ? { alarmEmail } : {}),
  };
}
