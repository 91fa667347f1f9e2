export * from './create-sequelize';
export * from './run-migrations';
export * from './database-config';
export * from './create-database';
export * from './database-unavailable';
export * from './pg-options';
export * from './create-pool';
export * from './notification-listener';
