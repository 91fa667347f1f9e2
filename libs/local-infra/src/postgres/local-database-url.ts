/** The embedded server's credentials. Local development only: it listens on 127.0.0.1 and its data lives in .herald/. */
export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'herald-local';

/** URL of a database on the embedded server that `npm start` and `npm run infra` run. */
export const localDatabaseUrl = (port: number, database = 'postgres') => `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
