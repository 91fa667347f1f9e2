import { randomBytes } from 'node:crypto';
import { postContentSchema, sourceTopics, topicNames, unseal, userProfileSchema } from '@herald/events';
import { readTopic } from '@herald/kafka';
import { eventually, queryRows, request, testKafka } from '@herald/testing';
import { startSystem, type TestSystem } from './support/system';

const ERASURE_LIMIT_MS = 60_000;

/** Every record now on these topics, as text: key, value and headers. */
async function topicRecords(kafka: ReturnType<typeof testKafka>, topics: string[]) {
  const stored = (await Promise.all(topics.map((topic) => readTopic(kafka, topic)))).flat();
  return stored.map(({ message }) => ({
    key: message.key?.toString() ?? '',
    value: message.value?.toString() ?? '',
    headers: Object.values(message.headers ?? {}).map(String).join(' '),
  }));
}

/** Every row of every table of a database, as text: what a scan of the store by someone else would read. */
async function databaseText(databaseUrl: string): Promise<string> {
  const tables = await queryRows<{ name: string }>(databaseUrl, "SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
  const parts = await Promise.all(tables.map(({ name }) => queryRows<{ row: string }>(databaseUrl, `SELECT t::text AS row FROM ${name} t`)));
  return parts.flat().map(({ row }) => row).join('\n').toLowerCase();
}

/**
 * The privacy invariant (docs/privacy.md), tried as an outsider would: every store Herald writes is
 * read whole and searched for the user's personal data in readable form. Topics never hold it; the
 * databases hold it until the account is deleted, and then nowhere within 60 s.
 */
describe('personal data, erased wherever it went', () => {
  let system: TestSystem;
  const kafka = testKafka();

  beforeAll(async () => {
    system = await startSystem();
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('no topic holds it readable, the user\'s key opens it, and after the deletion no store yields it and the key is gone', async () => {
    const marker = randomBytes(6).toString('hex');
    const person = { username: `erasable_${marker}`, email: `mail.${marker}@example.org`, password: `a long password ${marker}`, firstName: `First${marker}`, lastName: `Last${marker}` };
    const renamed = { firstName: `Renamed${marker}`, lastName: `Family${marker}` };
    const postTitle = `Title ${marker}`;
    const readable = [person.username, person.email, person.firstName, person.lastName, renamed.firstName, renamed.lastName, postTitle].map((value) => value.toLowerCase());

    const signedUp = await request(system.producerUrl, 'POST', '/users', person);
    expect(signedUp.status).toBe(201);
    const userId = signedUp.body.id as string;
    // A failed login first: a lock-out row keyed by the username.
    await request(system.producerUrl, 'POST', '/auth/login', { username: person.username, password: 'not the password at all' });
    const login = await request(system.producerUrl, 'POST', '/auth/login', { username: person.username, password: person.password });
    const asUser = { authorization: `Bearer ${login.body.accessToken as string}` };
    expect((await request(system.producerUrl, 'PATCH', '/users/me', renamed, asUser)).status).toBe(200);
    expect((await request(system.producerUrl, 'POST', '/posts', { title: postTitle, body: `Body ${marker}` }, asUser)).status).toBe(201);
    await eventually(async () => (await queryRows(system.consumerDatabaseUrl, 'SELECT 1 FROM users WHERE id = $1 AND first_name = $2', [userId, renamed.firstName])).length === 1 && (await queryRows(system.consumerDatabaseUrl, 'SELECT 1 FROM posts WHERE author_id = $1', [userId])).length === 1, {
      what: 'the user, the change and the post projected',
    });

    // Every topic, retry and dead-letter included: the user's records are there, sealed.
    const topics = topicNames(system.topicPrefix);
    const allTopics = [...sourceTopics(topics), topics.retry, topics.deadLetter];
    const records = await topicRecords(kafka, allTopics);
    const usersRecords = records.filter((record) => record.key === userId);
    expect(new Set(usersRecords.map((record) => (JSON.parse(record.value) as { type: string }).type))).toEqual(new Set(['new-user-created', 'issued-token', 'user-updated', 'post-created']));
    const onTopics = records.map((record) => `${record.key} ${record.value} ${record.headers}`).join('\n').toLowerCase();
    for (const value of readable) expect(onTopics).not.toContain(value);

    // They hold the data, for whoever has the user's key: the producer serves it to the consumer only.
    const asKeyHolder = { authorization: `Bearer ${system.userKeysToken}` };
    const keyAnswer = await request(system.producerUrl, 'POST', '/internal/user-keys', { userIds: [userId] }, asKeyHolder);
    const key = Buffer.from(keyAnswer.body.keys[userId] as string, 'base64url');
    const sealed = usersRecords.map((record) => JSON.parse(record.value) as { type: string; payload: { profile?: string; content?: string } });
    const post = sealed.find((event) => event.type === 'post-created')!;
    expect(unseal(postContentSchema, post.payload.content!, { userId, key })).toMatchObject({ title: postTitle });
    const change = sealed.find((event) => event.type === 'user-updated')!;
    expect(unseal(userProfileSchema, change.payload.profile!, { userId, key })).toMatchObject(renamed);
    expect((await request(system.producerUrl, 'POST', '/internal/user-keys', { userIds: [userId] }, { authorization: 'Bearer not-the-token-not-the-token-not-the-token' })).status).toBe(403);

    // Before the deletion the databases hold it (the scan can find it) …
    expect(await databaseText(system.producerDatabaseUrl)).toContain(person.email.toLowerCase());
    expect(await databaseText(system.consumerDatabaseUrl)).toContain(renamed.firstName.toLowerCase());

    const deletedAt = Date.now();
    expect((await request(system.producerUrl, 'DELETE', '/users/me', { currentPassword: person.password }, asUser)).status).toBe(204);
    // … and within the limit no store yields any of it.
    await eventually(
      async () => {
        const stores = `${await databaseText(system.producerDatabaseUrl)}\n${await databaseText(system.consumerDatabaseUrl)}`;
        return readable.every((value) => !stores.includes(value));
      },
      { timeoutMs: ERASURE_LIMIT_MS, intervalMs: 250, what: 'no trace of the user in either database' },
    );
    const erasedWithinMs = Date.now() - deletedAt;
    expect(erasedWithinMs).toBeLessThan(ERASURE_LIMIT_MS);
    if (process.env.HERALD_TEST_DEBUG) console.info(`erased from both databases ${erasedWithinMs} ms after DELETE /users/me`);

    // The key is destroyed: the records still on the topics open for nobody.
    const afterwards = await request(system.producerUrl, 'POST', '/internal/user-keys', { userIds: [userId] }, asKeyHolder);
    expect(afterwards.body).toEqual({ keys: {} });
    const text = (await topicRecords(kafka, allTopics)).map((record) => `${record.key} ${record.value} ${record.headers}`).join('\n').toLowerCase();
    for (const value of readable) expect(text).not.toContain(value);
  }, 180_000);
});
