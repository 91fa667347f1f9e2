import { randomUUID } from 'node:crypto';
import { buildEvent, HEADERS, keyOf, type HeraldEvent } from '@herald/events';
import { sealForTest } from '@herald/testing';
import { Partitioners, type Kafka, type Message } from 'kafkajs';

/** The profile a test's user signs up with, unless the test names the user. */
export const testProfile = (userId: string, username = `user_${userId.slice(0, 8)}`) => ({ username, email: `${userId.slice(0, 8)}@example.com`, firstName: null, lastName: null });

/** A sign-up, its profile sealed under the test key of the user (@herald/testing's user-keys.ts). */
export function userCreatedEvent(overrides: { userId?: string; username?: string } = {}) {
  const userId = overrides.userId ?? randomUUID();
  return buildEvent('new-user-created', { userId, profile: sealForTest(testProfile(userId, overrides.username), userId), createdAt: new Date().toISOString() });
}

export function tokenIssuedEvent(userId: string) {
  const now = Date.now();
  return buildEvent('issued-token', {
    jti: randomUUID(),
    userId,
    reason: 'login',
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + 900_000).toISOString(),
  });
}

export const asMessage = (event: HeraldEvent): Message => ({
  key: keyOf(event),
  value: JSON.stringify(event),
  headers: { [HEADERS.eventType]: event.type, [HEADERS.eventId]: event.eventId },
});

/** Publishes records the way the producer does (keyed by user id), as the test's own producer. */
export async function publish(kafka: Kafka, topic: string, messages: Message[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 500) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) });
  } finally {
    await producer.disconnect();
  }
}

export function postCreatedEvent(authorId: string, overrides: { postId?: string; createdAt?: Date; title?: string } = {}) {
  return buildEvent('post-created', {
    postId: overrides.postId ?? randomUUID(),
    authorId,
    content: sealForTest({ title: overrides.title ?? 'A post', body: 'What the author had to say.' }, authorId),
    createdAt: (overrides.createdAt ?? new Date()).toISOString(),
  });
}

/** A user's account deleted. */
export function userDeletedEvent(userId: string) {
  return buildEvent('user-deleted', { userId, deletedAt: new Date().toISOString() });
}

/** The deletion of a post by its author. */
export function postDeletedEvent(authorId: string, postId: string) {
  return buildEvent('post-deleted', { postId, authorId, deletedAt: new Date().toISOString() });
}

/** A follow (or, with `type`, an unfollow) of one pair at a revision, as the producer numbers them. */
export function followChangeEvent(followerId: string, followeeId: string, revision = 1, type: 'user-followed' | 'user-unfollowed' = 'user-followed') {
  return buildEvent(type, { followerId, followeeId, revision, at: new Date().toISOString() });
}

/** A profile change of one user at a revision (2 or more), the whole profile as the producer sends it. */
export function userUpdatedEvent(userId: string, revision: number, overrides: { username?: string; firstName?: string | null } = {}) {
  const now = new Date().toISOString();
  const profile = { ...testProfile(userId, overrides.username ?? `user_${userId.slice(0, 8)}_r${revision}`), firstName: overrides.firstName ?? null };
  return buildEvent('user-updated', {
    userId,
    revision,
    profile: sealForTest(profile, userId),
    createdAt: now,
    updatedAt: now,
  });
}

/** Sessions of one user ended, as the producer tells it. */
export function sessionEndedEvent(userId: string, sessionIds = [randomUUID()], reason: 'logout' | 'logout-all' | 'password-changed' | 'refresh-token-reused' = 'logout') {
  return buildEvent('session-ended', { userId, sessionIds, reason, endedAt: new Date().toISOString() });
}
