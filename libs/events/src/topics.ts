/**
 * Every Kafka topic Herald uses. Keys are the user id (the author of a post, the follower of a follow) (or, for retry and dead-letter topics, the
 * original message's key), so all events of one user land on one partition, in order.
 */
export const TOPICS = {
  newUserCreated: 'new-user-created',
  userUpdated: 'user-updated',
  userDeleted: 'user-deleted',
  issuedToken: 'issued-token',
  postCreated: 'post-created',
  postDeleted: 'post-deleted',
  userFollowed: 'user-followed',
  userUnfollowed: 'user-unfollowed',
  sessionEnded: 'session-ended',
  retry: 'side-topic-for-retry',
  deadLetter: 'dead-letter-queue',
} as const;

export type TopicKey = keyof typeof TOPICS;
export type TopicName = (typeof TOPICS)[TopicKey];

/** Partitions each topic is created with; also the most consumer tasks that can share the work. */
export const DEFAULT_PARTITIONS = 8;

/**
 * Topic names with an optional prefix, for several environments (or test runs) sharing one
 * cluster. `topicNames('')` gives the names in the table above.
 */
export function topicNames(prefix = ''): Record<TopicKey, string> {
  return {
    newUserCreated: `${prefix}${TOPICS.newUserCreated}`,
    userUpdated: `${prefix}${TOPICS.userUpdated}`,
    userDeleted: `${prefix}${TOPICS.userDeleted}`,
    issuedToken: `${prefix}${TOPICS.issuedToken}`,
    postCreated: `${prefix}${TOPICS.postCreated}`,
    postDeleted: `${prefix}${TOPICS.postDeleted}`,
    userFollowed: `${prefix}${TOPICS.userFollowed}`,
    userUnfollowed: `${prefix}${TOPICS.userUnfollowed}`,
    sessionEnded: `${prefix}${TOPICS.sessionEnded}`,
    retry: `${prefix}${TOPICS.retry}`,
    deadLetter: `${prefix}${TOPICS.deadLetter}`,
  };
}

/** The topics the producer writes (its events), without the consumer's retry and dead-letter topics. */
export function sourceTopics(topics: Record<TopicKey, string>): string[] {
  return [topics.newUserCreated, topics.userUpdated, topics.userDeleted, topics.issuedToken, topics.postCreated, topics.postDeleted, topics.userFollowed, topics.userUnfollowed, topics.sessionEnded];
}
