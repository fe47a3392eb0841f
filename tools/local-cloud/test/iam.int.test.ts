// The local IAM on an app that is not this platform's: the CDK example with one grant taken away.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalCloud, WORKSPACE_ROOT, type LocalCloud } from '../src/local-cloud';
import { synthCdkExample } from './cdk-example/app';

const outdir = join(WORKSPACE_ROOT, 'dist', 'test-cdk-example-iam', 'cdk.out');
const logs: string[] = [];
let cloud: LocalCloud;

beforeAll(async () => {
  rmSync(outdir, { recursive: true, force: true });
  // The delete function may read the table, not write to it.
  synthCdkExample(outdir, { readOnly: ['delete-one'] });
  cloud = await startLocalCloud({
    cdkOut: outdir,
    outputsDir: null,
    log: (source, line) => logs.push(`${source} ${line}`),
  });
}, 120000);
afterAll(() => cloud?.stop());

const call = (method: string, path: string, body?: unknown) =>
  fetch(`${cloud.outputs.apiUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('IAM enforced from the templates (the default)', () => {
  it('fails the call of a function whose role lacks the grant, as AWS would, and lets the others through', async () => {
    // Prepare
    const created = (await (await call('POST', '/items', { name: 'kept', price: 1 })).json()) as {
      itemId: string;
    };
    // Act
    const deleted = await call('DELETE', `/items/${created.itemId}`);
    const still = await call('GET', `/items/${created.itemId}`);
    // Assess: the delete failed inside the function with DynamoDB's AccessDeniedException; the item is there.
    expect(cloud.outputs.iam).toBe('enforce');
    expect(deleted.status).toBeGreaterThanOrEqual(500);
    expect(still.status).toBe(200);
    expect(cloud.iam.denials()).toEqual([
      expect.objectContaining({
        function: expect.stringContaining('deleteone'),
        action: 'dynamodb:DeleteItem',
        resource: expect.stringMatching(/^arn:aws:dynamodb:us-east-1:000000000000:table\//),
      }),
    ]);
    expect(logs.some((l) => l.includes('AccessDeniedException'))).toBe(true);
    expect(logs.some((l) => l.startsWith('iam DENIED') && l.includes('"Action":"dynamodb:DeleteItem"'))).toBe(
      true,
    );
  });
});
