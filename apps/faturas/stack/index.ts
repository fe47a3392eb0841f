export * from './faturas.stack';
