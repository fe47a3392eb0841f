// Any CDK app on this machine: `tsx tools/local-cloud/src/bin.ts --cdk-out <cdk.out folder> [options]`.
import { runLocalCloudCli } from './cli';

runLocalCloudCli(process.argv.slice(2), { name: 'CDK app' });
