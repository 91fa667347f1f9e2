export * from './tracing-config';
export * from './start-tracing';
export * from './spans';
export * from './messaging-spans';
export * from './trace-context';
