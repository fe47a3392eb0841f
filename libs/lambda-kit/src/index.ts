export * from './powertools';
export * from './config';
export * from './errors';
export * from './http';
export * from './sqs';
export * from './outbox-stream';
export * from './kinesis';
export * from './outbox-replay';
