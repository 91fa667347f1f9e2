// What Herald's operator tools and benches use of the consumer (package export
// `@herald/consumer/tools`), so that they do not reach into its source tree.
export { MIGRATIONS, MIGRATION_LOCK_KEY } from './db/migrations';
export { createDeadLetterQueue, type DeadLetter } from './ops/dead-letter/dead-letter-queue';
export { loadConfig } from './config';
export { ASYNCAPI_FILE, referenceAsyncApi } from './contract/reference-asyncapi';
export { graphqlContracts } from './contract/graphql-contracts';
