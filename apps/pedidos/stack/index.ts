export * from './pedidos.stack';
export type { LegacySource } from './legacy-channel';
