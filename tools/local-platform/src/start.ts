// `npm start`: the order platform on this machine (see the local cloud's command line for the options).
import { runLocalCloudCli, WORKSPACE_ROOT } from '@order-platform/local-cloud';
import { seedDemo } from './demo-seed';
import { watchHandlers } from './hot-reload';
import { synthLocal } from './synth-local';

runLocalCloudCli(process.argv.slice(2), {
  name: 'Order platform',
  synthesize: synthLocal,
  seed: seedDemo,
  watch: (cloud, log) => watchHandlers(cloud.runtime, log, { root: WORKSPACE_ROOT }),
  notes: (o) => [
    `Dashboard       ${o.dashboardUrl}   (sign in as admin)`,
    `Catalog         GET ${o.apiUrl}/products`,
    ...(o.apiDocs ? [`API reference   ${o.apiDocs.reference}   (OpenAPI 3.1: ${o.apiDocs.openApi})`] : []),
    o.legacy
      ? `Legacy MySQL    mysql -h ${o.legacy.mysql.host} -P ${o.legacy.mysql.port} -u ${o.legacy.mysql.user} -p${o.legacy.mysql.password} ${o.legacy.mysql.database}   (INSERT INTO pedidos ... → an order)`
      : 'Legacy MySQL    off: MariaDB is not installed (apt-get install mariadb-server)',
  ],
});
