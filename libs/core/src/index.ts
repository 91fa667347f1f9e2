export * from './errors';
export * from './config';
export * from './logger';
export * from './database-url';
export * from './run-service';
export * from './service-env';
export * from './keep-trying';
export * from './backoff';
