import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Annotations, Tags, Validations, type Stack, type StackProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { FaturasStack } from '@order-platform/faturas-stack';
import { PainelStack } from '@order-platform/painel-stack';
import { PedidosStack } from '@order-platform/pedidos-stack';
import { ProdutosStack } from '@order-platform/produtos-stack';
// generated stacks: the generator adds an import above this line
import { alarmTopic, notifyOnAlarms, serviceDashboard } from '@order-platform/cdk-constructs';
import { PlatformStack } from './platform.stack';
import { stageConfig, type Stage } from './stages';

export { STAGES, type Stage } from './stages';

/** The platform's version (the workspace's package.json), as the published OpenAPI document states it. */
const PLATFORM_VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;

/** Name of a stack in a stage, e.g. `OrderPlatform-dev-Pedidos`. */
export const stackName = (stage: string, part: string) => `OrderPlatform-${stage}-${part}`;

/**
 * Composes the platform stack and one stack per service for a stage, with cdk-nag (AwsSolutions and
 * Serverless packs) validating every synth. Stage decisions live here, never in the service stacks.
 */
export function buildApp(stage: Stage, app = new App()): App {
  const config = stageConfig(stage, (key) => app.node.tryGetContext(key));
  const env: StackProps['env'] = {
    account: process.env['CDK_DEFAULT_ACCOUNT'],
    region: process.env['CDK_DEFAULT_REGION'] ?? 'us-east-1',
  };
  const platform = new PlatformStack(app, stackName(stage, 'Platform'), {
    env,
    stage,
    removalPolicy: config.removalPolicy,
    alarmEmail: config.alarmEmail,
    events: config.events,
  });
  if (!config.alarmEmail && stage === 'prod')
    Annotations.of(platform).addWarningV2(
      'order-platform:alarm-email',
      'No alarmEmail for prod: alarms reach the alarm topic but nobody is subscribed (-c alarmEmail=...).',
    );
  const services: [string, Stack][] = [
    ['produtos', new ProdutosStack(app, stackName(stage, 'Produtos'), { env, stage, api: config.api })],
    [
      'pedidos',
      new PedidosStack(app, stackName(stage, 'Pedidos'), {
        env,
        stage,
        allowLoopbackCallbacks: config.loopbackCallbacks,
        paymentProvider: config.paymentProvider,
        api: config.api,
        removalPolicy: config.removalPolicy,
        ...(config.legacy ? { legacy: config.legacy } : {}),
      }),
    ],
    ['faturas', new FaturasStack(app, stackName(stage, 'Faturas'), { env, stage, api: config.api })],
    [
      'painel',
      new PainelStack(app, stackName(stage, 'Painel'), {
        env,
        stage,
        paymentProvider: config.paymentProvider,
        allowLoopbackCallbacks: config.loopbackCallbacks,
        version: PLATFORM_VERSION,
      }),
    ],
    // generated services: the generator adds a line above this one
  ];
  // painel publishes the OpenAPI document with each service's API URL, read from SSM: deploy it after them.
  const painel = services.find(([s]) => s === 'painel')![1];
  for (const [service, stack] of services)
    if (['produtos', 'pedidos', 'faturas'].includes(service)) painel.addStackDependency(stack);
  notifyOnAlarms(platform, platform.alarmTopic);
  for (const [service, stack] of services) {
    // Every alarm notifies the stage's alarm topic; every service gets its operations dashboard.
    notifyOnAlarms(stack, alarmTopic(stack, stage));
    serviceDashboard(stack, service);
  }
  Tags.of(app).add('project', 'order-platform');
  Tags.of(app).add('stage', stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return app;
}
