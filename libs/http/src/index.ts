export * from './error-handler';
export * from './health-routes';
export * from './request-logging';
