export * from './demo-data';
export * from './demo-seed';
export * from './synth-local';
export * from './start-platform';
