export * from './emulators';
export * from './intrinsics';
export * from './local-cloud';
export * from './lambda-runtime';
export * from './provision';
export * from './chaos';
export * from './cli';
export * from './users';
