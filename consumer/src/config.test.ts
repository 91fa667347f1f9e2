import { loadConfig, producerUrlFrom } from './config';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/herald_consumer' };

describe('consumer config', () => {
  it('finds the producer by PRODUCER_URL, else by the Copilot service-discovery endpoint, else locally', () => {
    expect(producerUrlFrom({ PRODUCER_URL: 'http://producer.internal:8080/', COPILOT_SERVICE_DISCOVERY_ENDPOINT: 'test.herald.local', PRODUCER_PORT: 9001 })).toBe('http://producer.internal:8080');
    expect(producerUrlFrom({ COPILOT_SERVICE_DISCOVERY_ENDPOINT: 'test.herald.local', PRODUCER_PORT: 9001 })).toBe('http://producer.test.herald.local:9001');
    expect(producerUrlFrom({ PRODUCER_PORT: 9001 })).toBe('http://127.0.0.1:9001');
  });

  it('defaults to auto commit for users, manual for tokens, one group each, port 9000', () => {
    const config = loadConfig(base);
    expect(config.port).toBe(9000);
    expect(config.groups).toEqual({
      users: { groupId: 'herald-consumer.users', commitMode: 'auto' },
      tokens: { groupId: 'herald-consumer.tokens', commitMode: 'manual' },
      retry: { groupId: 'herald-consumer.retry', commitMode: 'manual' },
      live: { groupId: expect.stringMatching(/^herald-consumer\.live\./) },
    });
    expect(loadConfig(base).groups.live.groupId).not.toBe(config.groups.live.groupId);
  });

  it('takes the commit mode per consumer from the environment and refuses an unknown one by name', () => {
    expect(loadConfig({ ...base, USERS_COMMIT_MODE: 'manual' }).groups.users.commitMode).toBe('manual');
    expect(() => loadConfig({ ...base, TOKENS_COMMIT_MODE: 'sometimes' })).toThrow(/TOKENS_COMMIT_MODE/);
  });

  it('refuses test fault injection in production', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', FAULT_CRASH_AFTER_DB_COMMIT: 'tokens' })).toThrow(/FAULT_CRASH_AFTER_DB_COMMIT: is for tests/);
  });
});
