/**
 * `npm run bench`: starts the local cloud and prints its figures against their targets:
 * - ready time from nothing built (handlers bundled, stage synthesized: what `npm start` does after
 *   `npm ci`; target 20 s on 2 cores), then with the templates up to date,
 * - GET /products latency over 200 sequential requests (p50, p95),
 * - 50 orders placed at once: time until all reach a final state.
 */
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '@order-platform/local-cloud';
import { startPlatformLocally } from '@order-platform/local-platform';

// The lockfile pins the SDK: its notice about Node 22 for releases after early 2027 is noise here.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  // Cold: no bundles, no templates.
  for (const dir of ['apps', 'cdk.out/local'])
    rmSync(join(WORKSPACE_ROOT, 'dist', dir), { recursive: true, force: true });
  const c0 = Date.now();
  const cold = await startPlatformLocally({
    outputsDir: null,
    apiPort: 0,
    progress: (s) => console.log(`(cold) ${s}`),
  });
  const coldMs = Date.now() - c0;
  await cold.stop();
  const t0 = Date.now();
  // One account places the whole load: the per-caller rate limit (which would stop it, as in AWS) is lifted.
  const cloud = await startPlatformLocally({ outputsDir: null, apiPort: 0, waf: 'off' });
  const readyMs = Date.now() - t0;
  try {
    const api = cloud.outputs.apiUrl;
    const latencies: number[] = [];
    for (let i = 0; i < 200; i++) {
      const s = performance.now();
      const res = await fetch(`${api}/products?limit=10`);
      await res.arrayBuffer();
      latencies.push(performance.now() - s);
    }
    latencies.sort((a, b) => a - b);

    const user = cloud.outputs.users['customer']!;
    const auth = await cloud.clients.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: cloud.outputs.cognito.clientId!,
        AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
      }),
    );
    const headers = {
      Authorization: auth.AuthenticationResult!.IdToken!,
      'Content-Type': 'application/json',
    };
    const t1 = Date.now();
    const placed = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${api}/orders`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            items: [{ productId: 'prod-feijao-1kg', quantity: 1 }],
            payment: { method: 'card', token: 'tok_approved' },
          }),
        }).then((r) => r.json() as Promise<{ orderId: string }>),
      ),
    );
    const pending = new Set(placed.map((o) => o.orderId));
    const deadline = Date.now() + 120_000;
    while (pending.size && Date.now() < deadline) {
      for (const id of [...pending]) {
        const o = (await (await fetch(`${api}/orders/${id}`, { headers })).json()) as { status: string };
        if (['COMPLETED', 'REJECTED', 'CANCELLED'].includes(o.status)) pending.delete(id);
      }
      if (pending.size) await new Promise((r) => setTimeout(r, 200));
    }
    const flowMs = Date.now() - t1;

    console.log('\nfigure                               value      target     ratio');
    console.log(
      `local cloud ready (nothing built)     ${(coldMs / 1000).toFixed(1).padStart(6)} s   20.0 s   ${(coldMs / 20000).toFixed(2)}`,
    );
    console.log(
      `local cloud ready (templates cached)  ${(readyMs / 1000).toFixed(1).padStart(6)} s   20.0 s   ${(readyMs / 20000).toFixed(2)}`,
    );
    console.log(`GET /products p50                     ${pct(latencies, 50).toFixed(1).padStart(6)} ms`);
    console.log(`GET /products p95                     ${pct(latencies, 95).toFixed(1).padStart(6)} ms`);
    console.log(
      `50 orders to a final state            ${(flowMs / 1000).toFixed(1).padStart(6)} s    (${pending.size} not final)`,
    );
  } finally {
    await cloud.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
