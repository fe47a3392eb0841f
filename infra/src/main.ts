import { App } from 'aws-cdk-lib';
import { buildApp, STAGES, type Stage } from './app';

const app = new App();
const stage = (app.node.tryGetContext('stage') ?? 'dev') as Stage;
if (!STAGES.includes(stage)) {
  console.error(`Unknown stage "${stage}": use one of ${STAGES.join(', ')}`);
  process.exit(2);
}
buildApp(stage, app);
app.synth();
