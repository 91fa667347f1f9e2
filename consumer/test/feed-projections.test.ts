import { randomUUID } from 'node:crypto';
import { eventually, queryNumber, testKafka } from '@herald/testing';
import type { Kafka } from 'kafkajs';
import { Sequelize } from 'sequelize';
import { createFeedReadModel, type FeedReadModel } from '../src/read-models/feed-read-model';
import { asMessage, followChangeEvent, postCreatedEvent, postDeletedEvent, publish } from './support/events';
import { startInProcessConsumer, type InProcessConsumer } from './support/in-process-consumer';

// Authors with more than this many followers are merged at read time instead of fanned out.
const MAX_FOLLOWERS = 5;

describe('feed projections: fan-out on write, backfill, unfollow, either order, large accounts (real Kafka, real PostgreSQL)', () => {
  let consumer: InProcessConsumer;
  let kafka: Kafka;
  let sequelize: Sequelize;
  let feed: FeedReadModel;

  beforeAll(async () => {
    consumer = await startInProcessConsumer({ env: { FEED_FANOUT_MAX_FOLLOWERS: String(MAX_FOLLOWERS), FEED_BACKFILL_POSTS: '3' } });
    kafka = testKafka();
    sequelize = new Sequelize(consumer.databaseUrl, { logging: false });
    feed = createFeedReadModel({ sequelize });
  });

  afterAll(async () => {
    await sequelize?.close();
    await consumer?.stop();
  });

  const users = (count: number) => Array.from({ length: count }, () => randomUUID());
  const feedOf = async (viewerId: string, first = 50) => (await feed.page(viewerId, { first })).posts.map((post) => post.id);
  const follow = (followerId: string, followeeId: string, revision = 1) => publish(kafka, consumer.topics.userFollowed, [asMessage(followChangeEvent(followerId, followeeId, revision))]);
  const unfollow = (followerId: string, followeeId: string, revision = 2) =>
    publish(kafka, consumer.topics.userUnfollowed, [asMessage(followChangeEvent(followerId, followeeId, revision, 'user-unfollowed'))]);
  const post = async (authorId: string, createdAt?: Date) => {
    const event = postCreatedEvent(authorId, { createdAt });
    await publish(kafka, consumer.topics.postCreated, [asMessage(event)]);
    return event.payload.postId;
  };
  const deletePost = (authorId: string, postId: string) => publish(kafka, consumer.topics.postDeleted, [asMessage(postDeletedEvent(authorId, postId))]);
  const tombstoned = (postId: string) => eventually(async () => (await count('SELECT count(*) FROM deleted_posts WHERE post_id = $1', [postId])) === 1, { what: 'deletion projected' });
  const count = (sql: string, params: unknown[]) => queryNumber(consumer.databaseUrl, sql, params);
  const followsProjected = (followeeId: string, n: number) =>
    eventually(async () => (await count('SELECT count(*) FROM follows WHERE followee_id = $1', [followeeId])) === n, { what: `${n} follows projected` });
  const postProjected = (postId: string) => eventually(async () => (await count('SELECT count(*) FROM posts WHERE id = $1', [postId])) === 1, { what: 'post projected' });
  const inFeed = (viewerId: string, postId: string) => eventually(async () => (await feedOf(viewerId)).includes(postId), { what: 'post in feed' });

  it('when a user posts, the post is in every follower\'s feed, and not in the feed of a user who does not follow', async () => {
    const [author, stranger, ...followers] = users(5);
    for (const follower of followers) await follow(follower!, author!);
    await followsProjected(author!, followers.length);

    const postId = await post(author!);
    for (const follower of followers) await inFeed(follower!, postId);

    expect(await feedOf(stranger!)).toEqual([]);
    expect(await feedOf(author!)).toEqual([]);
    expect(await count('SELECT count(*) FROM feed_entries WHERE post_id = $1', [postId])).toBe(followers.length);
  });

  it('when a user follows after the followee posted, the followee\'s latest posts are backfilled into the new feed, newest first', async () => {
    const [author, follower] = users(2);
    const base = Date.now() - 60_000;
    const postIds: string[] = [];
    for (let i = 0; i < 4; i += 1) postIds.push(await post(author!, new Date(base + i * 1000)));
    for (const postId of postIds) await postProjected(postId);

    await follow(follower!, author!);
    await eventually(async () => (await feedOf(follower!)).length === 3, { what: 'backfill' });

    // FEED_BACKFILL_POSTS=3: the three latest.
    expect(await feedOf(follower!)).toEqual(postIds.slice(1).reverse());
  });

  it('when a user unfollows, the followee\'s posts leave the feed, and other authors\' posts stay', async () => {
    const [author, other, follower] = users(3);
    await follow(follower!, author!);
    await follow(follower!, other!);
    await followsProjected(author!, 1);
    await followsProjected(other!, 1);
    const authorPost = await post(author!);
    const otherPost = await post(other!);
    await inFeed(follower!, authorPost);
    await inFeed(follower!, otherPost);

    await unfollow(follower!, author!);
    await eventually(async () => !(await feedOf(follower!)).includes(authorPost), { what: 'post removed' });

    expect(await feedOf(follower!)).toEqual([otherPost]);
  });

  it('when the follow and the post are projected in either order, or at once, the follower\'s feed comes out the same', async () => {
    // Follow projected first, then the post.
    const [authorA, followerA] = users(2);
    await follow(followerA!, authorA!);
    await followsProjected(authorA!, 1);
    const postA = await post(authorA!);
    await inFeed(followerA!, postA);

    // Post projected first, then the follow.
    const [authorB, followerB] = users(2);
    const postB = await post(authorB!);
    await postProjected(postB);
    await follow(followerB!, authorB!);
    await inFeed(followerB!, postB);

    // Both published together, many times over, so the two consumers race.
    const racing = users(20).map((follower) => ({ follower, author: randomUUID() }));
    const racedPosts = racing.map(({ author }) => postCreatedEvent(author));
    await Promise.all([
      publish(kafka, consumer.topics.postCreated, racedPosts.map(asMessage)),
      publish(kafka, consumer.topics.userFollowed, racing.map(({ follower, author }) => asMessage(followChangeEvent(follower, author)))),
    ]);
    for (const [i, { follower }] of racing.entries()) await inFeed(follower, racedPosts[i]!.payload.postId);

    expect(await feedOf(followerA!)).toEqual([postA]);
    expect(await feedOf(followerB!)).toEqual([postB]);
    for (const [i, { follower }] of racing.entries()) expect(await feedOf(follower)).toEqual([racedPosts[i]!.payload.postId]);
  });

  it('when an unfollow is projected before the follow it undid, the pair ends unfollowed and the feed empty', async () => {
    const [author, follower] = users(2);
    const postId = await post(author!);
    await postProjected(postId);

    await unfollow(follower!, author!, 2);
    await eventually(async () => (await count('SELECT count(*) FROM follows WHERE follower_id = $1 AND NOT active', [follower])) === 1, { what: 'unfollow projected' });
    await follow(follower!, author!, 1);
    // The late follow is read and changes nothing; a later follow by the same follower (same key,
    // same partition) shows when the group has passed it.
    const marker = randomUUID();
    await follow(follower!, marker, 1);
    await followsProjected(marker, 1);

    expect(await count('SELECT count(*) FROM follows WHERE follower_id = $1 AND followee_id = $2 AND active', [follower, author])).toBe(0);
    expect(await feedOf(follower!)).toEqual([]);
  });

  it('when a large account (more followers than the threshold) posts, nothing is fanned out and its followers still see the post, merged and paged in order', async () => {
    const [author, small, ...followers] = users(2 + MAX_FOLLOWERS + 1);
    for (const follower of followers) await follow(follower!, author!);
    await follow(followers[0]!, small!);
    await followsProjected(author!, followers.length);
    await followsProjected(small!, 1);

    const base = Date.now();
    const smallOld = await post(small!, new Date(base - 3000));
    const largePost = await post(author!, new Date(base - 2000));
    const smallNew = await post(small!, new Date(base - 1000));
    await postProjected(largePost);
    for (const follower of followers) await inFeed(follower!, largePost);
    await inFeed(followers[0]!, smallNew);
    await inFeed(followers[0]!, smallOld);

    expect(await count('SELECT count(*) FROM feed_entries WHERE post_id = $1', [largePost])).toBe(0);
    expect(await count('SELECT count(*) FROM posts WHERE id = $1 AND NOT fanned_out', [largePost])).toBe(1);
    expect(await feedOf(followers[0]!)).toEqual([smallNew, largePost, smallOld]);
    // Page by page with the cursor: the merge respects the position.
    const first = await feed.page(followers[0]!, { first: 2 });
    expect(first.posts.map((p) => p.id)).toEqual([smallNew, largePost]);
    expect(first.hasNextPage).toBe(true);
    const last = first.posts[1]!;
    const second = await feed.page(followers[0]!, { first: 2, after: { createdAt: last.createdAt, id: last.id } });
    expect(second).toEqual({ posts: [expect.objectContaining({ id: smallOld })], hasNextPage: false });
    // Unfollowing a large account takes its posts out of the feed too.
    await unfollow(followers[1]!, author!);
    await eventually(async () => (await feedOf(followers[1]!)).length === 0, { what: 'large account unfollowed' });
  });

  it('when post and follow events are delivered again, the feed holds each post once', async () => {
    const [author, follower] = users(2);
    const followed = asMessage(followChangeEvent(follower!, author!));
    await publish(kafka, consumer.topics.userFollowed, [followed, followed]);
    await followsProjected(author!, 1);
    const event = postCreatedEvent(author!);
    await publish(kafka, consumer.topics.postCreated, [asMessage(event)]);
    await inFeed(follower!, event.payload.postId);

    await publish(kafka, consumer.topics.postCreated, [asMessage(event), asMessage(event)]);
    await publish(kafka, consumer.topics.userFollowed, [followed]);
    // Later records on the same partitions show when both groups have passed the redeliveries.
    const followMarker = randomUUID();
    await follow(follower!, followMarker);
    await followsProjected(followMarker, 1);
    const marker = await post(author!);
    await inFeed(follower!, marker);

    expect(await feedOf(follower!)).toEqual([marker, event.payload.postId]);
    expect(await count('SELECT count(*) FROM posts WHERE id = $1', [event.payload.postId])).toBe(1);
  });

  it('when an author deletes a fanned-out post, it leaves the posts and every follower\'s feed, and a later follow does not backfill it', async () => {
    const [author, lateFollower, ...followers] = users(4);
    for (const follower of followers) await follow(follower!, author!);
    await followsProjected(author!, followers.length);
    const [kept, deleted] = [await post(author!), await post(author!)];
    for (const follower of followers) await inFeed(follower!, deleted);

    await deletePost(author!, deleted);
    await tombstoned(deleted);
    expect(await count('SELECT count(*) FROM posts WHERE id = $1', [deleted])).toBe(0);
    expect(await count('SELECT count(*) FROM feed_entries WHERE post_id = $1', [deleted])).toBe(0);
    for (const follower of followers) expect(await feedOf(follower!)).toEqual([kept]);

    await follow(lateFollower!, author!);
    await inFeed(lateFollower!, kept);
    expect(await feedOf(lateFollower!)).toEqual([kept]);
  });

  it('when the deletion is projected before its post (another topic, another group), the post is never shown', async () => {
    const [author, follower] = users(2);
    await follow(follower!, author!);
    await followsProjected(author!, 1);
    const event = postCreatedEvent(author!);
    await deletePost(author!, event.payload.postId);
    await tombstoned(event.payload.postId);
    await publish(kafka, consumer.topics.postCreated, [asMessage(event)]);
    // A later post of the same author (same partition, behind it): once it is in the feed, the deleted one was read.
    const later = await post(author!);
    await inFeed(follower!, later);
    expect(await count('SELECT count(*) FROM posts WHERE id = $1', [event.payload.postId])).toBe(0);
    expect(await feedOf(follower!)).toEqual([later]);
  });

  it('when a large account deletes a post, its followers no longer see it merged into their feeds', async () => {
    const [author, ...followers] = users(MAX_FOLLOWERS + 2);
    for (const follower of followers) await follow(follower!, author!);
    await followsProjected(author!, followers.length);
    const postId = await post(author!);
    await postProjected(postId);
    await inFeed(followers[0]!, postId);
    expect(await count('SELECT count(*) FROM feed_entries WHERE post_id = $1', [postId])).toBe(0); // merged when read

    await deletePost(author!, postId);
    await tombstoned(postId);
    expect(await feedOf(followers[0]!)).toEqual([]);
  });
});
