// `npm start`: the order platform on this machine (see the local cloud's command line for the options).
import { runLocalCloudCli } from '@order-platform/local-cloud';
import { seedDemo } from './demo-seed';
import { synthLocal } from './synth-local';

runLocalCloudCli(process.argv.slice(2), {
  name: 'Order platform',
  synthesize: synthLocal,
  seed: seedDemo,
  notes: (o) => [
    `Dashboard       ${o.dashboardUrl}   (sign in as admin)`,
    `Catalog         GET ${o.apiUrl}/products`,
  ],
});
