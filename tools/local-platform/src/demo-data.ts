/**
 * The platform's demo data for the local cloud: the users, the catalog and a partner. None of it is in any
 * template; the local launcher puts it in through the platform's own APIs (see demo-seed.ts).
 */

/** The demo catalog: integer cents in BRL, with stock on hand (ids are `prod-<sku in lower case>`). */
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

export const DEMO_USERS = [
  { name: 'customer', username: 'customer@example.com', groups: ['customers'] },
  { name: 'customer2', username: 'customer2@example.com', groups: ['customers'] },
  { name: 'admin', username: 'admin@example.com', groups: ['admins'] },
];

/** The demo partner, registered through `POST /partners` (its key is issued there, never in a template). */
export const DEMO_PARTNER = {
  partnerId: 'farmacia-demo',
  name: 'Farmácia Demo',
  email: 'compras@farmacia-demo.example.com',
  billing: { legalName: 'Farmácia Demo Ltda', taxId: '11222333000181' },
  plan: 'standard',
} as const;
