export * from './repo';
export * from './expect-eventually';
export * from './test-environment';
export * from './kafka-probe';
export * from './service-process';
export * from './test-keys';
export * from './service-app';
export * from './containers';
