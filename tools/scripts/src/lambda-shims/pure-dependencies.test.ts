import { resolve } from 'node:path';
import { pureDependencies } from './pure-dependencies';
import { bundleForTest } from './test-bundle';

const bundle = (source: string, withPlugin: boolean) =>
  bundleForTest(source, withPlugin ? [pureDependencies] : []);

describe('the side-effect-free modules of a function bundle', () => {
  it("leave the contracts' modules a function does not use out of its bundle, and keep the ones it does", async () => {
    // Prepare: an event consumer, which validates events and answers no REST route.
    const source = `import { parseEvent } from '@order-platform/contracts';
      export const parse = (input: unknown) => parseEvent(input);`;
    const event = {
      id: 'evt-1',
      type: 'OrderProcessing',
      version: 1,
      source: 'pedidos',
      occurredAt: '2026-12-07T10:00:00.000Z',
      correlationId: 'ord-1',
      causationId: null,
      data: {
        orderId: 'ord-1',
        customerId: 'cus-1',
        items: [{ productId: 'prod-1', quantity: 1, unitPrice: 990 }],
        total: 990,
      },
    };
    // Act
    const plain = await bundle(source, false);
    const trimmed = await bundle(source, true);
    // Assess
    const rest = (inputs: string[]) => inputs.filter((i) => i.endsWith('libs/contracts/src/api/rest.ts'));
    expect(rest(plain.inputs)).toHaveLength(1);
    expect(rest(trimmed.inputs)).toHaveLength(0);
    expect(trimmed.inputs).toContain('libs/contracts/src/events/order-processing.v1.ts');
    expect(plain.bytes).toBeGreaterThan(trimmed.bytes);
    expect(trimmed.exports['parse']!(event)).toMatchObject({
      type: 'OrderProcessing',
      data: { orderId: 'ord-1' },
    });
    expect(() => trimmed.exports['parse']!({ ...event, type: 'Unheard' })).toThrow(
      /No schema for event Unheard\.v1/,
    );
  }, 60_000);

  it('leave the JWT verifier out of a function that only imports its module, and keep it working where used', async () => {
    // Prepare: painel's composition root imports the verifier's adapter for the authorizer; the feed's
    // consumer never builds it.
    const composition = resolve(__dirname, '..', '..', '..', '..', 'apps', 'painel', 'src', 'composition');
    const consumer = `import { dashboard } from '${composition}';
      export const built = () => typeof dashboard;`;
    const authorizer = `import { CognitoJwtVerifier } from 'aws-jwt-verify';
      export const verify = (token: string) =>
        CognitoJwtVerifier.create({ userPoolId: 'us-east-1_abc123', clientId: 'client', tokenUse: 'id' }).verify(token);`;
    // Act
    const plain = await bundle(consumer, false);
    const trimmed = await bundle(consumer, true);
    const used = await bundle(authorizer, true);
    // Assess
    const jwt = (inputs: string[]) => inputs.filter((i) => i.includes('node_modules/aws-jwt-verify/'));
    expect(jwt(plain.inputs).length).toBeGreaterThan(5);
    expect(jwt(trimmed.inputs)).toEqual([]);
    expect(plain.bytes - trimmed.bytes).toBeGreaterThan(10 * 1024);
    expect(trimmed.exports['built']!()).toBe('function');
    expect(jwt(used.inputs).length).toBeGreaterThan(5);
    await expect((async () => used.exports['verify']!('not-a-jwt'))()).rejects.toThrow(/JWT/);
  }, 60_000);
});
