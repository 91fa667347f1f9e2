import { loadConfig, producerUrlFrom } from './config';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/herald_consumer' };

describe('consumer config', () => {
  it('finds the producer by PRODUCER_URL, else by the Copilot service-discovery endpoint, else locally', () => {
    expect(producerUrlFrom({ PRODUCER_URL: 'http://producer.internal:8080/', COPILOT_SERVICE_DISCOVERY_ENDPOINT: 'test.herald.local', PRODUCER_PORT: 9001 })).toBe('http://producer.internal:8080');
    expect(producerUrlFrom({ COPILOT_SERVICE_DISCOVERY_ENDPOINT: 'test.herald.local', PRODUCER_PORT: 9001 })).toBe('http://producer.test.herald.local:9001');
    expect(producerUrlFrom({ PRODUCER_PORT: 9001 })).toBe('http://127.0.0.1:9001');
  });

  it('defaults to auto commit for users, manual for tokens and the feed, one group each, port 9000', () => {
    const config = loadConfig(base);
    expect(config.port).toBe(9000);
    expect(config.projector.groups).toEqual({
      users: { groupId: 'herald-consumer.users', topic: 'new-user-created', commitMode: 'auto' },
      userUpdates: { groupId: 'herald-consumer.user-updates', topic: 'user-updated', commitMode: 'manual' },
      userDeletions: { groupId: 'herald-consumer.user-deletions', topic: 'user-deleted', commitMode: 'manual' },
      tokens: { groupId: 'herald-consumer.tokens', topic: 'issued-token', commitMode: 'manual' },
      posts: { groupId: 'herald-consumer.posts', topic: 'post-created', commitMode: 'manual' },
      postDeletions: { groupId: 'herald-consumer.post-deletions', topic: 'post-deleted', commitMode: 'manual' },
      follows: { groupId: 'herald-consumer.follows', topic: 'user-followed', commitMode: 'manual' },
      unfollows: { groupId: 'herald-consumer.unfollows', topic: 'user-unfollowed', commitMode: 'manual' },
      sessions: { groupId: 'herald-consumer.sessions', topic: 'session-ended', commitMode: 'manual' },
    });
    expect(config.projector.retryGroupId).toBe('herald-consumer.retry');
    expect(config.readApi.liveGroupId).toMatch(/^herald-consumer\.live\./);
    expect(config.ops.flowGroupId).toMatch(/^herald-consumer\.console\./);
    expect(loadConfig(base).readApi.liveGroupId).not.toBe(config.readApi.liveGroupId);
    expect(loadConfig(base).ops.flowGroupId).not.toBe(config.ops.flowGroupId);
  });

  it('runs all three roles unless CONSUMER_ROLES names fewer, and refuses an unknown role', () => {
    expect(loadConfig(base).roles).toEqual(['projector', 'read-api', 'ops']);
    expect(loadConfig({ ...base, CONSUMER_ROLES: 'ops, read-api' }).roles).toEqual(['read-api', 'ops']);
    expect(() => loadConfig({ ...base, CONSUMER_ROLES: 'projector,reader' })).toThrow(/CONSUMER_ROLES: must name roles among projector, read-api, ops; not reader/);
    expect(() => loadConfig({ ...base, CONSUMER_ROLES: ' , ' })).toThrow(/CONSUMER_ROLES: must name at least one role/);
  });

  it('takes the fan-out threshold, the backfill size and the fan-out chunk from the environment, with defaults', () => {
    expect(loadConfig(base).feed).toEqual({ maxFollowers: 10_000, backfillPosts: 50, fanOutChunkPosts: 20 });
    expect(loadConfig({ ...base, FEED_FANOUT_MAX_FOLLOWERS: '500' }).feed.maxFollowers).toBe(500);
    expect(() => loadConfig({ ...base, FEED_FANOUT_CHUNK_POSTS: '0' })).toThrow(/FEED_FANOUT_CHUNK_POSTS/);
  });

  it('takes the commit mode per consumer and the commit interval from the environment and refuses a bad one by name', () => {
    expect(loadConfig({ ...base, USERS_COMMIT_MODE: 'manual' }).projector.groups.users.commitMode).toBe('manual');
    expect(() => loadConfig({ ...base, TOKENS_COMMIT_MODE: 'sometimes' })).toThrow(/TOKENS_COMMIT_MODE/);
    expect(loadConfig(base).projector.commitIntervalMs).toBe(100);
    expect(loadConfig({ ...base, CONSUMER_COMMIT_INTERVAL_MS: '0' }).projector.commitIntervalMs).toBe(0);
    expect(() => loadConfig({ ...base, CONSUMER_COMMIT_INTERVAL_MS: '-5' })).toThrow(/CONSUMER_COMMIT_INTERVAL_MS/);
  });

  it('takes the local cluster control as both its URL and its token or neither, never in production, without echoing the token', () => {
    expect(loadConfig(base).ops.clusterControl).toBeUndefined();
    const token = 'c'.repeat(40);
    expect(loadConfig({ ...base, LOCAL_CLUSTER_CONTROL_URL: 'http://127.0.0.1:7777/', LOCAL_CLUSTER_CONTROL_TOKEN: token }).ops.clusterControl).toEqual({ url: 'http://127.0.0.1:7777', token });
    expect(() => loadConfig({ ...base, LOCAL_CLUSTER_CONTROL_URL: 'http://127.0.0.1:7777' })).toThrow(/LOCAL_CLUSTER_CONTROL_TOKEN: LOCAL_CLUSTER_CONTROL_URL and LOCAL_CLUSTER_CONTROL_TOKEN go together/);
    expect(() => loadConfig({ ...base, LOCAL_CLUSTER_CONTROL_TOKEN: token })).toThrow(/LOCAL_CLUSTER_CONTROL_URL: .*go together/);
    expect(() => loadConfig({ ...base, LOCAL_CLUSTER_CONTROL_URL: 'ftp://127.0.0.1:7777', LOCAL_CLUSTER_CONTROL_TOKEN: token })).toThrow(/LOCAL_CLUSTER_CONTROL_URL: must be an http/);
    const short = () => loadConfig({ ...base, LOCAL_CLUSTER_CONTROL_URL: 'http://127.0.0.1:7777', LOCAL_CLUSTER_CONTROL_TOKEN: 'short-secret' });
    expect(short).toThrow(/LOCAL_CLUSTER_CONTROL_TOKEN: must be at least 16/);
    expect(short).not.toThrow(/short-secret/);
    const production = { ...base, NODE_ENV: 'production', OPERATOR_TOKEN: 'o'.repeat(40), LOCAL_CLUSTER_CONTROL_URL: 'http://127.0.0.1:7777', LOCAL_CLUSTER_CONTROL_TOKEN: token };
    expect(() => loadConfig(production)).toThrow(/LOCAL_CLUSTER_CONTROL_URL: is for a local cluster started by npm start, and refused in production/);
  });

  it('in production, needs an operator token and switches introspection and GraphiQL off unless enabled', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(/OPERATOR_TOKEN: required in production/);
    const token = 'x'.repeat(32);
    const production = loadConfig({ ...base, NODE_ENV: 'production', OPERATOR_TOKEN: token, USER_KEYS_TOKEN: token });
    expect(production.graphql).toMatchObject({ introspection: false, graphiql: false, corsOrigins: [] });
    expect(loadConfig({ ...base, NODE_ENV: 'production', OPERATOR_TOKEN: token, USER_KEYS_TOKEN: token, GRAPHQL_INTROSPECTION: 'true', GRAPHIQL: 'true' }).graphql).toMatchObject({ introspection: true, graphiql: true });
    expect(loadConfig(base).graphql).toMatchObject({ introspection: true, graphiql: true });
  });

  it('in production, needs the user-keys token for the roles that open personal data (projector, read-api), never for ops alone; the producer unless USER_KEYS_URL says otherwise', () => {
    const production = { ...base, NODE_ENV: 'production', OPERATOR_TOKEN: 'o'.repeat(32) };
    expect(() => loadConfig(production)).toThrow(/USER_KEYS_TOKEN: required in production for the projector and read-api roles/);
    expect(() => loadConfig({ ...production, CONSUMER_ROLES: 'read-api' })).toThrow(/USER_KEYS_TOKEN/);
    expect(loadConfig({ ...production, CONSUMER_ROLES: 'ops' }).userKeys.token).toBeUndefined();
    expect(() => loadConfig({ ...base, USER_KEYS_TOKEN: 'short-secret' })).not.toThrow(/short-secret/);
    expect(() => loadConfig({ ...base, USER_KEYS_TOKEN: 'short-secret' })).toThrow(/USER_KEYS_TOKEN: must be at least 32 characters/);
    expect(loadConfig({ ...base, PRODUCER_URL: 'http://producer.internal:9001' }).userKeys.url).toBe('http://producer.internal:9001');
    expect(loadConfig({ ...base, USER_KEYS_URL: 'http://keys.internal:9101/' }).userKeys.url).toBe('http://keys.internal:9101');
  });

  it('refuses an operator token shorter than 32 characters, naming the variable but not echoing it', () => {
    expect(() => loadConfig({ ...base, OPERATOR_TOKEN: 'short-secret' })).toThrow(/OPERATOR_TOKEN: must be at least 32 characters$/m);
    expect(() => loadConfig({ ...base, OPERATOR_TOKEN: 'short-secret' })).not.toThrow(/short-secret/);
  });

  it('defaults the GraphQL limits, and trusts X-Forwarded-For from private and loopback peers only', () => {
    const config = loadConfig(base);
    expect(config.http).toEqual({
      trustProxy: ['loopback', 'linklocal', 'uniquelocal'],
      graphqlBodyLimitBytes: 64 * 1024,
      streams: { perClient: 1000, total: 2000 }, // locally every client is 127.0.0.1
      maxSubscriptionsPerSocket: 20,
    });
    expect(loadConfig({ ...base, NODE_ENV: 'production', OPERATOR_TOKEN: 'o'.repeat(32), USER_KEYS_TOKEN: 'k'.repeat(32) }).http.streams.perClient).toBe(16);
    expect(() => loadConfig({ ...base, GRAPHQL_MAX_STREAMS_PER_CLIENT: '0' })).toThrow(/GRAPHQL_MAX_STREAMS_PER_CLIENT/);
    expect(config.graphql.limits).toEqual({ maxDepth: 8, maxCost: 5000, maxAliases: 15, maxTokens: 1000, maxDirectives: 10 });
    expect(loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/8, loopback' }).http.trustProxy).toEqual(['10.0.0.0/8', 'loopback']);
    expect(loadConfig({ ...base, TRUST_PROXY: 'false' }).http.trustProxy).toBe(false);
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY: .*not everyone/);
  });

  it('takes CORS origins as a list and refuses something that is not an origin', () => {
    expect(loadConfig({ ...base, CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).graphql.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(() => loadConfig({ ...base, CORS_ORIGINS: 'https://app.example.com/path' })).toThrow(/CORS_ORIGINS: must be origins/);
  });
});
