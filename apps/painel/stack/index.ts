export * from './painel.stack';
