// The local cloud on a CDK app that is not this platform's: a CRUD API of the kind the AWS CDK examples show.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalCloud, WORKSPACE_ROOT, type LocalCloud } from '../src/local-cloud';
import { synthCdkExample } from './cdk-example/app';

const outdir = join(WORKSPACE_ROOT, 'dist', 'test-cdk-example', 'cdk.out');
let cloud: LocalCloud;

beforeAll(async () => {
  rmSync(outdir, { recursive: true, force: true });
  synthCdkExample(outdir);
  cloud = await startLocalCloud({ cdkOut: outdir, outputsDir: null });
}, 120000);
afterAll(() => cloud?.stop());

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${cloud.outputs.apiUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
};

describe('an AWS CDK example app (API + Lambda + DynamoDB) on the local cloud', () => {
  it('creates, reads, lists, updates and deletes items through its REST API', async () => {
    // Act
    const created = await call('POST', '/items', { name: 'first', price: 10 });
    const id = created.body.itemId as string;
    const one = await call('GET', `/items/${id}`);
    const updated = await call('PATCH', `/items/${id}`, { price: 12 });
    const all = await call('GET', '/items');
    const deleted = await call('DELETE', `/items/${id}`);
    const gone = await call('GET', `/items/${id}`);
    // Assess
    expect(created.status).toBe(201);
    expect(one.body).toEqual({ itemId: id, name: 'first', price: 10 });
    expect(updated.status).toBe(204);
    expect(all.body).toEqual([{ itemId: id, name: 'first', price: 12 }]);
    expect(deleted.status).toBe(200);
    expect(gone.status).toBe(404);
  });

  it("answers 413 to a body over API Gateway's 10 MB or an event over Lambda's 6 MB, as AWS does", async () => {
    // Act
    const big = (bytes: number) => JSON.stringify({ name: 'x'.repeat(bytes), price: 1 });
    const overGateway = await call('POST', '/items', JSON.parse(big(11 * 1024 * 1024)));
    const overLambda = await call('POST', '/items', JSON.parse(big(7 * 1024 * 1024)));
    const fine = await call('POST', '/items', JSON.parse(big(1024)));
    // Assess
    expect([overGateway.status, overLambda.status, fine.status]).toEqual([413, 413, 201]);
    expect(overGateway.body).toEqual({ message: 'Request Too Large' });
  });

  it('answers CORS preflights from its MOCK integrations, and reports nothing it could not emulate', async () => {
    const preflight = await call('OPTIONS', '/items');
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(cloud.outputs.notEmulated).toEqual({});
  });
});
