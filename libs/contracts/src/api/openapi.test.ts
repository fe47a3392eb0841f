// eslint-disable-next-line @nx/enforce-module-boundaries -- a test compiles the generated schemas with a JSON Schema validator; the library imports zod only
import Ajv2020 from 'ajv/dist/2020';
import { openApiDocument } from './openapi';
import { REST_OPERATIONS } from './rest';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const doc = openApiDocument({ stage: 'test', version: '1.0.0', servers: 'http://127.0.0.1:3000' }) as Json;

/** Every `$ref` in a value. */
function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, found));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref') found.push(String(v));
      else refsIn(v, found);
    }
  return found;
}

function validator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'doc', components: doc['components'] });
  return (schema: Json) =>
    ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"doc#/components')));
}

describe('the OpenAPI document', () => {
  it('documents every operation once, under its method and path', () => {
    // Act
    const documented = Object.entries(doc['paths'] as Json).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((k) => k !== 'servers')
        .map((method) => `${method.toUpperCase()} ${path} ${item[method].operationId}`),
    );
    // Assess
    expect(doc['openapi']).toBe('3.1.0');
    expect(documented.sort()).toEqual(
      REST_OPERATIONS.map((o) => `${o.method} ${o.path} ${o.operationId}`).sort(),
    );
    expect(new Set(REST_OPERATIONS.map((o) => o.operationId)).size).toBe(REST_OPERATIONS.length);
  });

  it('resolves every reference and compiles every schema as JSON Schema 2020-12', () => {
    // Prepare
    const compile = validator();
    // Act
    const missing = refsIn(doc).filter(
      (r) => !(r.replace('#/components/schemas/', '') in doc['components'].schemas),
    );
    // Assess
    expect(missing).toEqual([]);
    for (const [name, schema] of Object.entries(doc['components'].schemas as Json))
      expect({ name, ok: typeof compile(schema) }).toEqual({ name, ok: 'function' });
  });

  it('names its errors: problem bodies, 401 where a token is needed, 403 for admin routes, 429 everywhere', () => {
    // Prepare
    const op = (path: string, method: string) => doc['paths'][path][method] as Json;
    // Act
    const create = op('/products', 'post');
    const list = op('/products', 'get');
    const getOrder = op('/orders/{id}', 'get');
    // Assess
    expect(Object.keys(create['responses']).sort()).toEqual(['201', '400', '401', '403', '409', '429']);
    expect(create['responses']['409'].content['application/problem+json'].schema.$ref).toBe(
      '#/components/schemas/Problem',
    );
    expect(create['security']).toEqual([{ cognitoIdToken: [] }]);
    expect(list['security']).toEqual([]);
    expect(Object.keys(list['responses'])).not.toContain('401');
    expect(getOrder['parameters']).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ]);
  });

  it('accepts its own examples and refuses what the functions refuse', () => {
    // Prepare
    const compile = validator();
    // Act + Assess
    for (const op of REST_OPERATIONS.filter((o) => o.example !== undefined)) {
      const schema =
        doc['paths'][op.path][op.method.toLowerCase()].requestBody.content['application/json'].schema;
      const validate = compile(schema);
      expect({ op: op.operationId, ok: validate(op.example) }).toEqual({ op: op.operationId, ok: true });
      expect({ op: op.operationId, zod: op.body!.safeParse(op.example).success }).toEqual({
        op: op.operationId,
        zod: true,
      });
    }
    const create = compile(doc['paths']['/products'].post.requestBody.content['application/json'].schema);
    expect(create({ sku: 'A', name: 'A', price: 100, currency: 'USD' })).toBe(false);
    expect(create({ sku: 'A', name: 'A', price: 100, colour: 'red' })).toBe(false);
  });

  it('gives each service its own server when the stage has one API per service', () => {
    // Act
    const perService = openApiDocument({
      stage: 'dev',
      version: '1.0.0',
      servers: {
        produtos: 'https://p.example/api/',
        pedidos: 'https://o.example/api/',
        faturas: 'https://f.example/api/',
      },
      paymentProvider: 'stripe',
    }) as Json;
    // Assess
    expect(perService['paths']['/products'].servers).toEqual([{ url: 'https://p.example/api/' }]);
    expect(perService['paths']['/invoices/{orderId}'].servers).toEqual([{ url: 'https://f.example/api/' }]);
    const token = JSON.stringify(perService['paths']['/orders'].post.requestBody);
    expect(token).toContain('pm_');
    expect(token).not.toContain('tok_approved');
  });
});
