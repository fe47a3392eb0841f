import { App, RemovalPolicy, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { FaturasStack } from '@order-platform/faturas-stack';
import { PainelStack } from '@order-platform/painel-stack';
import { PedidosStack } from '@order-platform/pedidos-stack';
import { ProdutosStack } from '@order-platform/produtos-stack';
import { PlatformStack } from './platform.stack';

export const STAGES = ['dev', 'prod', 'local'] as const;
export type Stage = (typeof STAGES)[number];

/** Name of a stack in a stage, e.g. `OrderPlatform-dev-Pedidos`. */
export const stackName = (stage: string, part: string) => `OrderPlatform-${stage}-${part}`;

/**
 * Composes the platform stack and one stack per service for a stage, with cdk-nag (AwsSolutions and
 * Serverless packs) validating every synth. Stage decisions live here, never in the service stacks.
 */
export function buildApp(stage: Stage, app = new App()): App {
  const env: StackProps['env'] = {
    account: process.env['CDK_DEFAULT_ACCOUNT'],
    region: process.env['CDK_DEFAULT_REGION'] ?? 'us-east-1',
  };
  const removalPolicy = stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  new PlatformStack(app, stackName(stage, 'Platform'), { env, stage, removalPolicy });
  new ProdutosStack(app, stackName(stage, 'Produtos'), { env, stage });
  new PedidosStack(app, stackName(stage, 'Pedidos'), { env, stage });
  new FaturasStack(app, stackName(stage, 'Faturas'), { env, stage });
  new PainelStack(app, stackName(stage, 'Painel'), { env, stage });
  Tags.of(app).add('project', 'order-platform');
  Tags.of(app).add('stage', stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return app;
}
