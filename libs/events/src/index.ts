export * from './topics';
export * from './schemas';
export * from './build-event';
export * from './headers';
export * from './read-event';
export * from './sealed';
export * from './asyncapi';
