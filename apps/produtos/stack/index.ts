export * from './produtos.stack';
