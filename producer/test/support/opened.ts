import { postContentSchema, unseal, userProfileSchema, type HeraldEvent } from '@herald/events';
import { request } from './contract';
import { TEST_USER_KEYS_TOKEN } from './test-env';

/**
 * An event's payload with its sealed personal data opened, as the consumer sees it: the key asked
 * of the producer's user-keys endpoint, like the consumer asks it. Other events are as they are.
 */
export async function openedPayload(baseUrl: string, event: HeraldEvent): Promise<Record<string, unknown>> {
  if (event.type !== 'new-user-created' && event.type !== 'user-updated' && event.type !== 'post-created') return event.payload;
  const userId = event.type === 'post-created' ? event.payload.authorId : event.payload.userId;
  const answer = await request(baseUrl, 'POST', '/internal/user-keys', { userIds: [userId] }, { authorization: `Bearer ${TEST_USER_KEYS_TOKEN}` });
  const key = Buffer.from(answer.body.keys[userId] as string, 'base64url');
  if (event.type === 'post-created') {
    const { content, ...rest } = event.payload;
    return { ...rest, ...unseal(postContentSchema, content, { userId, key }) };
  }
  const { profile, ...rest } = event.payload;
  return { ...rest, ...unseal(userProfileSchema, profile, { userId, key }) };
}
