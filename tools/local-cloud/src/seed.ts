import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { documentClient, DynamoDbRepository } from '@order-platform/aws-adapters';
import { newEvent } from '@order-platform/contracts';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import type { Clients, Provisioner } from './provision';

export interface SeedResult {
  users: Record<string, { username: string; password: string; groups: string[] }>;
  partners: { name: string; apiKey: string; apiKeyId?: string }[];
  products: number;
}

/** The demo catalog: integer cents in BRL, with stock on hand. */
export const DEMO_PRODUCTS = [
  {
    productId: 'prod-cafe-500g',
    sku: 'CAFE-500G',
    name: 'Café torrado 500 g',
    description: 'Café arábica torrado e moído',
    price: 2490,
    onHand: 120,
  },
  {
    productId: 'prod-arroz-5kg',
    sku: 'ARROZ-5KG',
    name: 'Arroz agulhinha 5 kg',
    description: 'Arroz branco tipo 1',
    price: 2890,
    onHand: 80,
  },
  {
    productId: 'prod-feijao-1kg',
    sku: 'FEIJAO-1KG',
    name: 'Feijão carioca 1 kg',
    description: 'Feijão carioca tipo 1',
    price: 899,
    onHand: 200,
  },
  {
    productId: 'prod-azeite-500ml',
    sku: 'AZEITE-500ML',
    name: 'Azeite extra virgem 500 ml',
    description: 'Azeite de oliva português',
    price: 3990,
    onHand: 40,
  },
  {
    productId: 'prod-dipirona-500mg',
    sku: 'DIPIRONA-500MG',
    name: 'Dipirona 500 mg (10 comprimidos)',
    description: 'Analgésico e antitérmico',
    price: 650,
    onHand: 500,
  },
  {
    productId: 'prod-protetor-fps50',
    sku: 'PROTETOR-FPS50',
    name: 'Protetor solar FPS 50',
    description: 'Loção 200 ml',
    price: 5490,
    onHand: 5,
  },
] as const;

const DEMO_USERS = [
  { name: 'customer', username: 'customer@example.com', groups: ['customers'] },
  { name: 'customer2', username: 'customer2@example.com', groups: ['customers'] },
  { name: 'admin', username: 'admin@example.com', groups: ['admins'] },
];

/** A password that satisfies the pool's policy, new every run (printed and written to outputs.json). */
function password(): string {
  return `Local-${randomBytes(6).toString('hex')}#A1`;
}

class SeedRepository extends DynamoDbRepository {}

/** Creates the demo users (with their groups) and the demo catalog (through the outbox, so events flow). */
/** The demo partners' registry records in pedidos, for the API keys the templates declare. */
const DEMO_PARTNERS: Record<
  string,
  { partnerId: string; name: string; email: string; billing: { legalName: string; taxId: string } }
> = {
  'farmacia-demo': {
    partnerId: 'farmacia-demo',
    name: 'Farmácia Demo',
    email: 'compras@farmacia-demo.example.com',
    billing: { legalName: 'Farmácia Demo Ltda', taxId: '11222333000181' },
  },
};

export async function seed(
  p: Provisioner,
  clients: Clients,
  apiKeys: { id: string; name: string }[] = [],
): Promise<SeedResult> {
  const result: SeedResult = { users: {}, partners: [], products: 0 };
  const pool = p.byType('AWS::Cognito::UserPool')[0];
  if (pool) {
    const groups = new Set(p.byType('AWS::Cognito::UserPoolGroup').map((g) => g.ref));
    for (const u of DEMO_USERS) {
      const pw = password();
      await clients.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.ref,
          Username: u.username,
          MessageAction: 'SUPPRESS',
          TemporaryPassword: pw,
          UserAttributes: [
            { Name: 'email', Value: u.username },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
      await clients.cognito.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: pool.ref,
          Username: u.username,
          Password: pw,
          Permanent: true,
        }),
      );
      for (const g of u.groups.filter((name) => groups.has(name))) {
        await clients.cognito.send(
          new AdminAddUserToGroupCommand({ UserPoolId: pool.ref, Username: u.username, GroupName: g }),
        );
      }
      result.users[u.name] = {
        username: u.username,
        password: pw,
        groups: u.groups.filter((name) => groups.has(name)),
      };
    }
  }

  const table = p.byType('AWS::DynamoDB::Table').find((t) => /-Produtos$/.test(t.stack));
  if (table) {
    const repo = new SeedRepository(documentClient(clients.dynamodb), table.ref);
    const now = new Date().toISOString();
    for (const product of DEMO_PRODUCTS) {
      const event = newEvent(
        'ProductCreated',
        'produtos',
        {
          productId: product.productId,
          sku: product.sku,
          name: product.name,
          price: product.price,
          currency: 'BRL',
          available: product.onHand,
        },
        { correlationId: `seed-${product.productId}` },
      );
      await repo.transactWithOutbox(
        [
          {
            Put: {
              TableName: table.ref,
              Item: {
                pk: `PRODUCT#${product.productId}`,
                sk: 'PRODUCT',
                kind: 'product',
                gsi1pk: 'CATALOG',
                gsi1sk: product.productId,
                productId: product.productId,
                sku: product.sku,
                name: product.name,
                description: product.description,
                price: product.price,
                currency: 'BRL',
                onHand: product.onHand,
                reserved: 0,
                available: product.onHand,
                updatedAt: now,
              },
            },
          },
        ],
        [event],
      );
      result.products += 1;
    }
  }
  const orders = p.byType('AWS::DynamoDB::Table').find((t) => /-Pedidos$/.test(t.stack));
  if (orders) {
    const db = documentClient(clients.dynamodb);
    for (const key of apiKeys) {
      const partner = DEMO_PARTNERS[key.name];
      if (!partner) continue;
      await db.send(
        new PutCommand({
          TableName: orders.ref,
          Item: {
            pk: `PARTNER#${key.id}`,
            sk: 'PARTNER',
            kind: 'partner',
            ...partner,
            status: 'ACTIVE',
            customerId: `partner-${partner.partnerId}`,
            apiKeyId: key.id,
          },
        }),
      );
      // The pointer that keeps partner ids unique and lets admins find the partner by id.
      await db.send(
        new PutCommand({
          TableName: orders.ref,
          Item: { pk: `PARTNERID#${partner.partnerId}`, sk: 'PARTNERID', apiKeyId: key.id },
        }),
      );
    }
  }
  return result;
}
