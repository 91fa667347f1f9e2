// What Herald's operator tools and benches use of the producer (package export
// `@herald/producer/tools`), so that they do not reach into its source tree.
export { loadConfig } from './config';
export { MIGRATIONS, MIGRATION_LOCK_KEY } from './db/migrations';
export { createOutboxWriter } from './outbox/outbox-writer';
export type { RepublishOptions } from './outbox/republish-in-batches';
export { createUserRepublisher } from './users/republish-users';
export { createUserKeys } from './personal-data/user-keys';
export { createFollowRepublisher } from './feed/republish-follows';
export { createPostRepublisher } from './feed/republish-posts';
export { createTokenRepublisher } from './auth/republish-tokens';
export { createEndedSessionRepublisher } from './auth/republish-ended-sessions';
export { OPENAPI_FILE, producerOpenApi } from './openapi/producer-openapi';
