import { ConfigError } from '@herald/core';
import { loadConfig } from './config';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/herald_producer' };

describe('producer config', () => {
  it('defaults to port 9001, 8 partitions, OWASP argon2id parameters and the contract topic names', () => {
    const config = loadConfig(base);
    expect(config.port).toBe(9001);
    expect(config.kafka.partitions).toBe(8);
    expect(config.argon2).toEqual({ memoryCost: 7 * 1024, timeCost: 5, parallelism: 1, maxConcurrent: 2 });
    expect(config.topics.newUserCreated).toBe('new-user-created');
  });

  it('stops with a message naming every bad variable', () => {
    const load = () => loadConfig({ PORT: 'ninety', KAFKA_SASL_MECHANISM: 'kerberos', ARGON2_TIME_COST: '0' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/PORT: must be a port number \(0-65535\) \(got "ninety"\)/);
    expect(load).toThrow(/KAFKA_SASL_MECHANISM: Invalid option/);
    expect(load).toThrow(/ARGON2_TIME_COST: must be at least 1/);
  });

  it('sends the outbox uncompressed by default, takes any codec Herald reads, and names the variable for any other', () => {
    expect(loadConfig(base).outbox.compression).toBe('none');
    for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) expect(loadConfig({ ...base, OUTBOX_COMPRESSION: codec }).outbox.compression).toBe(codec);
    expect(() => loadConfig({ ...base, OUTBOX_COMPRESSION: 'brotli' })).toThrow(/OUTBOX_COMPRESSION: Invalid option/);
  });

  it('reads the extra public keys of a key rotation as key id to PEM, and refuses anything else', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n';
    expect(loadConfig({ ...base, JWT_EXTRA_PUBLIC_KEYS: JSON.stringify({ 'herald-2': pem }) }).jwt.extraPublicKeys).toEqual({ 'herald-2': pem });
    expect(loadConfig(base).jwt.extraPublicKeys).toEqual({});
    expect(() => loadConfig({ ...base, JWT_EXTRA_PUBLIC_KEYS: '{not json' })).toThrow(/JWT_EXTRA_PUBLIC_KEYS: must be a JSON object of key id to public key PEM/);
    expect(() => loadConfig({ ...base, JWT_EXTRA_PUBLIC_KEYS: JSON.stringify({ 'herald-1': pem }) })).toThrow(/JWT_EXTRA_PUBLIC_KEYS: must not name JWT_KEY_ID/);
  });

  it('names a missing database once the other variables are valid', () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL: required \(or DB_SECRET\)/);
  });

  it('requires an operator token of at least 32 characters in production', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(/OPERATOR_TOKEN: required in production/);
    expect(() => loadConfig({ ...base, OPERATOR_TOKEN: 'short' })).toThrow(/OPERATOR_TOKEN: must be at least 32 characters/);
  });

  it('requires the user-keys token of at least 32 characters in production, never echoing it', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(/USER_KEYS_TOKEN: required in production/);
    expect(() => loadConfig({ ...base, USER_KEYS_TOKEN: 'short-secret' })).toThrow(/USER_KEYS_TOKEN: must be at least 32 characters/);
    expect(() => loadConfig({ ...base, USER_KEYS_TOKEN: 'short-secret' })).not.toThrow(/short-secret/);
    expect(loadConfig(base).userKeysToken).toBeUndefined();
  });

  it('requires a signing key in production', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(/JWT_PRIVATE_KEY: required in production/);
  });

  it('builds the database URL from a Copilot/Secrets Manager JSON secret', () => {
    const secret = JSON.stringify({ host: 'db.cluster.local', port: 5432, dbname: 'herald', username: 'app', password: 'p@ss/word' });
    const config = loadConfig({ DB_SECRET: secret, DATABASE_NAME: 'herald_producer' });
    expect(config.database.url).toBe('postgres://app:p%40ss%2Fword@db.cluster.local:5432/herald_producer');
  });

  it('rejects a malformed secret without echoing it', () => {
    let message = '';
    try {
      loadConfig({ DB_SECRET: '{"host": "x", "password": "hunter2"}' });
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/DB_SECRET: lacks or has invalid fields: username/);
    expect(message).not.toContain('hunter2');
  });

  it('trusts X-Forwarded-For from the VPC by default, and takes false, a hop count or an address list', () => {
    expect(loadConfig(base).trustProxy).toBe('loopback, linklocal, uniquelocal');
    expect(loadConfig({ ...base, TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ ...base, TRUST_PROXY: '10.0.0.0/16, loopback' }).trustProxy).toBe('10.0.0.0/16, loopback');
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'the-alb' })).toThrow(/TRUST_PROXY: must be false, a hop count, or a comma list/);
  });

  it('has abuse limits on by default, each overridable', () => {
    const config = loadConfig({ ...base, LOGIN_LOCKOUT_FAILURES: '7' });
    expect(config.requestLimits.login).toEqual({ perIp: 60, perAccount: 20, windowSeconds: 60 });
    expect(config.loginLockout).toMatchObject({ failures: 7, accountFailures: 50, lockSeconds: 60, maxLockSeconds: 3600 });
    expect(() => loadConfig({ ...base, SIGNUP_LIMIT_PER_IP: '0' })).toThrow(/SIGNUP_LIMIT_PER_IP: must be at least 1/);
  });
});
