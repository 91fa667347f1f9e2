export * from './create-sequelize';
export * from './run-migrations';
