import { App } from 'aws-cdk-lib';
import { buildApp, STAGES, type Stage } from './app';
import { StageConfigError } from './stages';

const app = new App();
const stage = (app.node.tryGetContext('stage') ?? 'dev') as Stage;
if (!STAGES.includes(stage)) {
  console.error(`Unknown stage "${stage}": use one of ${STAGES.join(', ')}`);
  process.exit(2);
}
try {
  buildApp(stage, app);
} catch (error) {
  // A stage that is not safe to deploy stops the synth with its one sentence, not a stack trace.
  if (error instanceof StageConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
app.synth();
