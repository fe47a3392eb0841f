/**
 * The bounded services that publish events: each gets its topic in the platform stack (ADR 0005). The
 * service generator (`npx nx g @order-platform/workspace:service <name>`) appends to this list.
 */
export const PUBLISHING_SERVICES: readonly string[] = [
  'produtos',
  'pedidos',
  'faturas',
  // generated services: the generator adds a line above this one
];
