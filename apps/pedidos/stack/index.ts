export * from './pedidos.stack';
