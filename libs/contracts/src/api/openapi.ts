import * as z from '../zod';
import {
  GatewayError,
  placeOrderRequest,
  Problem,
  registerPartnerRequest,
  REST_OPERATIONS,
  type PaymentProvider,
  type RestOperation,
} from './rest';

type Json = Record<string, unknown>;
type Service = RestOperation['service'];

export interface OpenApiOptions {
  /** The stage the document describes (named in its title). */
  stage: string;
  version: string;
  /** One origin for every route (the local cloud), or each service's API base URL (AWS: one API per service). */
  servers: string | Record<Service, string>;
  /** The stage's payment provider: which card tokens `POST /orders` takes. */
  paymentProvider?: PaymentProvider;
  /** Whether partner callbacks may point at loopback (the local stage only). */
  allowLoopbackCallbacks?: boolean;
}

const PROBLEM = 'application/problem+json';
const JSON_TYPE = 'application/json';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * Turns zod schemas into OpenAPI 3.1 schemas (JSON Schema 2020-12): named schemas (`.meta({ id })`) go to
 * `components.schemas` and are referenced from where they are used.
 */
class SchemaSet {
  readonly components: Record<string, Json> = {};

  add(schema: z.ZodMiniType, io: 'input' | 'output'): Json {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
    const defs = (json['$defs'] ?? {}) as Record<string, Json>;
    delete json['$defs'];
    delete json['$schema'];
    for (const [name, def] of Object.entries(defs)) {
      // Requests and answers may differ (defaults are optional on the way in): name the input apart.
      const key = io === 'input' && !name.endsWith('Request') ? `${name}Input` : name;
      this.components[key] = this.rewrite(def, io);
    }
    return this.rewrite(json, io);
  }

  private rewrite(value: Json, io: 'input' | 'output'): Json {
    return JSON.parse(
      JSON.stringify(value).replace(/"#\/\$defs\/([^"]+)"/g, (_, name: string) =>
        JSON.stringify(
          `#/components/schemas/${io === 'input' && !name.endsWith('Request') ? `${name}Input` : name}`,
        ),
      ),
    ) as Json;
  }
}

function bodyOf(op: RestOperation, options: OpenApiOptions): z.ZodMiniType | undefined {
  if (op.operationId === 'placeOrder') return placeOrderRequest(options.paymentProvider ?? 'simulator');
  if (op.operationId === 'registerPartner')
    return registerPartnerRequest({ allowLoopbackCallbacks: options.allowLoopbackCallbacks ?? false });
  return op.body;
}

/** An operation's example body, with a card token the stage's provider takes. */
function exampleOf(op: RestOperation, options: OpenApiOptions): unknown {
  if (op.operationId === 'placeOrder' && options.paymentProvider === 'stripe')
    return { ...(op.example as object), payment: { method: 'card', token: 'pm_card_visa' } };
  return op.example;
}

function parameters(op: RestOperation, schemas: SchemaSet): Json[] {
  const list: Json[] = [];
  for (const [where, shape] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (!shape) continue;
    const json = schemas.add(shape, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = schema;
      list.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  for (const header of op.headers ?? [])
    list.push({
      name: header.name,
      in: 'header',
      required: !header.schema.safeParse(undefined).success,
      description: header.description,
      schema: schemas.add(header.schema, 'input'),
    });
  return list;
}

/** The answers of an operation: its success, then the errors its validation, auth and logic give. */
function responses(op: RestOperation, hasInput: boolean, schemas: SchemaSet): Json {
  const problem = (description: string) => ({
    description,
    content: { [PROBLEM]: { schema: ref('Problem') } },
  });
  const gateway = (description: string) => ({
    description,
    content: { [JSON_TYPE]: { schema: ref('GatewayError') } },
  });
  const out: Record<string, Json> = {};
  const { success } = op;
  out[String(success.status)] = {
    description: success.description,
    ...(success.headers
      ? {
          headers: Object.fromEntries(
            Object.entries(success.headers).map(([name, example]) => [
              name,
              { schema: { type: 'string' }, example },
            ]),
          ),
        }
      : {}),
    ...(success.body ? { content: { [JSON_TYPE]: { schema: schemas.add(success.body, 'output') } } } : {}),
  };
  if (op.auth === 'partner' && op.method === 'POST')
    out['400'] = gateway('The body does not match the schema (checked by API Gateway)');
  else if (hasInput) out['400'] = problem('Invalid input; `errors` names each field');
  if (op.auth === 'customer' || op.auth === 'admin') out['401'] = gateway('No valid Cognito ID token');
  if (op.auth === 'admin') out['403'] = problem('The caller is not in the `admins` group');
  if (op.auth === 'partner')
    out['403'] = {
      description: 'No API key, an unknown key or a disabled partner',
      content: { [JSON_TYPE]: { schema: ref('GatewayError') }, [PROBLEM]: { schema: ref('Problem') } },
    };
  for (const [status, description] of Object.entries(op.errors ?? {})) out[status] = problem(description);
  out['429'] = {
    description:
      'Too many requests: the per-caller or per-address rate limit (60 s window, `Retry-After`) or, for partners, the usage plan',
    content: { [JSON_TYPE]: { schema: { type: 'object' } } },
  };
  return out;
}

/**
 * The stage's OpenAPI 3.1 document: every operation of `REST_OPERATIONS`, with the schemas the functions
 * validate with, the error bodies, and the security schemes (Cognito ID token, partner API key).
 */
export function openApiDocument(options: OpenApiOptions): Json {
  const schemas = new SchemaSet();
  schemas.add(Problem, 'output');
  schemas.add(GatewayError, 'output');
  const paths: Record<string, Json> = {};
  for (const op of REST_OPERATIONS) {
    const body = bodyOf(op, options);
    const item = (paths[op.path] ??= {});
    if (typeof options.servers !== 'string') item['servers'] = [{ url: options.servers[op.service] }];
    const params = parameters(op, schemas);
    item[op.method.toLowerCase()] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      security:
        op.auth === 'public'
          ? []
          : op.auth === 'partner'
            ? [{ partnerApiKey: [] }]
            : [{ cognitoIdToken: [] }],
      ...(params.length ? { parameters: params } : {}),
      ...(body
        ? {
            requestBody: {
              required: true,
              content: {
                [JSON_TYPE]: {
                  schema: schemas.add(body, 'input'),
                  ...(op.example !== undefined ? { example: exampleOf(op, options) } : {}),
                },
              },
            },
          }
        : {}),
      responses: responses(op, params.length > 0 || body !== undefined, schemas),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `order-platform REST API (${options.stage})`,
      version: options.version,
      description:
        'Orders, catalog, invoices and the B2B partner channel. Money is in integer cents (BRL). Errors are ' +
        '`application/problem+json` (RFC 9457) naming each refused field, except where API Gateway answers ' +
        'itself (`{ message }`).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: typeof options.servers === 'string' ? options.servers : options.servers.pedidos }],
    tags: [...new Set(REST_OPERATIONS.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: schemas.components,
      securitySchemes: {
        cognitoIdToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "A Cognito ID token of the platform's user pool (customers; admins are in the `admins` group).",
        },
        partnerApiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description: 'The API key issued by `POST /partners`.',
        },
      },
    },
  };
}
