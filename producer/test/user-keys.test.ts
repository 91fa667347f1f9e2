import { parseEvent, postContentSchema, unseal, userProfileSchema, type NewUserCreated, type PostCreated } from '@herald/events';
import { request } from './support/contract';
import { useTestProducer } from './support/test-producer';
import { TEST_USER_KEYS_TOKEN } from './support/test-env';
import { signedInUser } from './support/users';

const asKeyHolder = { authorization: `Bearer ${TEST_USER_KEYS_TOKEN}` };

/** Users' data keys: made with the user, served to the consumer alone, destroyed with the account (real Kafka, real PostgreSQL). */
describe('user keys (crypto-shredding)', () => {
  const system = useTestProducer((topics) => [topics.newUserCreated, topics.postCreated]);
  const url = () => system.url;
  const keyOf = async (userId: string) => (await request(url(), 'POST', '/internal/user-keys', { userIds: [userId] }, asKeyHolder)).body.keys[userId] as string | undefined;

  it('seals the profile and the post on the topics, and the key served to the consumer opens them', async () => {
    const { user, auth } = await signedInUser(url());
    await request(url(), 'POST', '/posts', { title: 'Sealed title', body: 'A sealed body.' }, auth);
    const [signUp] = await system.probe.waitFor((record) => record.key === user.id && record.topic === system.config.topics.newUserCreated);
    const [post] = await system.probe.waitFor((record) => record.key === user.id && record.topic === system.config.topics.postCreated);
    for (const record of [signUp!, post!]) {
      expect(record.value).not.toContain(user.username);
      expect(record.value).not.toContain(user.email);
      expect(record.value).not.toContain('Sealed');
    }

    const key = Buffer.from((await keyOf(user.id))!, 'base64url');
    expect(key).toHaveLength(32);
    const created = parseEvent(JSON.parse(signUp!.value)) as NewUserCreated;
    expect(unseal(userProfileSchema, created.payload.profile, { userId: user.id, key })).toEqual({ username: user.username, email: user.email, firstName: user.firstName, lastName: user.lastName });
    const written = parseEvent(JSON.parse(post!.value)) as PostCreated;
    expect(unseal(postContentSchema, written.payload.content, { userId: user.id, key })).toEqual({ title: 'Sealed title', body: 'A sealed body.' });
  });

  it('serves keys only for the token: none is 401, a wrong one 403, a bad body 400 naming the field and never echoing it', async () => {
    const { user } = await signedInUser(url());
    const none = await request(url(), 'POST', '/internal/user-keys', { userIds: [user.id] });
    expect(none.status).toBe(401);
    const wrong = await request(url(), 'POST', '/internal/user-keys', { userIds: [user.id] }, { authorization: 'Bearer a-guess-a-guess-a-guess-a-guess-a-guess' });
    expect(wrong.status).toBe(403);
    expect(JSON.stringify([none.body, wrong.body])).not.toMatch(/"keys"/);
    const bad = await request(url(), 'POST', '/internal/user-keys', { userIds: ['<script>not-an-id</script>'] }, asKeyHolder);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/userIds/);
    expect(JSON.stringify(bad.body)).not.toContain('script');
    const tooMany = await request(url(), 'POST', '/internal/user-keys', { userIds: Array.from({ length: 201 }, () => user.id) }, asKeyHolder);
    expect(tooMany.status).toBe(400);
  });

  it('answers only the users who exist, and a deleted account\'s key is gone for good', async () => {
    const { user, auth, password } = await signedInUser(url());
    const unknown = '00000000-0000-4000-8000-000000000000';
    const both = await request(url(), 'POST', '/internal/user-keys', { userIds: [user.id, unknown] }, asKeyHolder);
    expect(Object.keys(both.body.keys)).toEqual([user.id]);

    expect((await request(url(), 'DELETE', '/users/me', { currentPassword: password }, auth)).status).toBe(204);
    expect(await keyOf(user.id)).toBeUndefined();
  });
});
