export * from './error-handler';
export * from './health-routes';
export * from './request-logging';
export * from './once-per-scrape';
export * from './operator-access';
export * from './secret-check';
export * from './document-routes';
