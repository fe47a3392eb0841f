export * from './service-function';
export * from './service-table';
export * from './event-topic';
export * from './inbox';
export * from './outbox-publisher';
export * from './service-api';
export * from './ssm-names';
export * from './nag';
