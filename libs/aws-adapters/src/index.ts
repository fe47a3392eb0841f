export * from './sns-event-publisher';
export * from './dynamodb-repository';
export * from './clients';
export * from './ses-mailer';
export * from './dynamodb-outbox';
export * from './page-token';
export * from './sqs-backoff';
export * from './service-wiring';
