import { eventually, newUser } from '@herald/testing';
import { gql, LOGIN, SIGN_UP } from './support/graphql';
import { wsClient } from './support/subscriptions';
import { startSystem, type TestSystem } from './support/system';

interface SignedIn {
  id: string;
  asUser: Record<string, string>;
}

const FOLLOW = 'mutation($id: ID!) { follow(followeeId: $id) { followerId followeeId followedAt } }';
const UNFOLLOW = 'mutation($id: ID!) { unfollow(followeeId: $id) }';
const CREATE_POST = 'mutation($input: CreatePostInput!) { createPost(input: $input) { id authorId title body createdAt } }';
const FEED = '{ feed(first: 20) { edges { cursor node { id title author { id username } } } pageInfo { hasNextPage endCursor } } }';

/** The feed through GraphQL, against both services as processes on real Kafka and PostgreSQL. */
describe('feed over GraphQL: follow, post, read the own feed, hear the own feed', () => {
  let system: TestSystem;
  let ada: SignedIn;
  let bob: SignedIn;
  let cyd: SignedIn;
  let dan: SignedIn;

  const signUpAndLogIn = async (): Promise<SignedIn> => {
    const body = newUser();
    const signUp = await gql(system.consumerUrl, SIGN_UP, { input: { username: body.username, email: body.email, password: body.password } });
    const login = await gql(system.consumerUrl, LOGIN, { username: body.username, password: body.password });
    return { id: signUp.data.signUp.id, asUser: { authorization: `Bearer ${login.data.login.accessToken as string}` } };
  };
  const feedIds = async (user: SignedIn): Promise<string[]> => (await gql(system.consumerUrl, FEED, {}, user.asUser)).data.feed.edges.map((edge: any) => edge.node.id);
  const createPost = async (user: SignedIn, title: string) => {
    const answer = await gql(system.consumerUrl, CREATE_POST, { input: { title, body: `${title}: long enough to be a body.` } }, user.asUser);
    expect(answer.errors).toBeUndefined();
    return answer.data.createPost as { id: string; authorId: string; title: string };
  };
  const follow = async (follower: SignedIn, followee: SignedIn) => {
    const answer = await gql(system.consumerUrl, FOLLOW, { id: followee.id }, follower.asUser);
    expect(answer.errors).toBeUndefined();
    return answer;
  };
  const followsProjected = (user: SignedIn, followers: number) =>
    eventually(async () => (await gql(system.consumerUrl, 'query($id: ID!) { user(id: $id) { followersCount } }', { id: user.id })).data?.user?.followersCount === followers, {
      what: `${followers} followers projected`,
    });

  beforeAll(async () => {
    system = await startSystem({ producerEnv: { SIGNUP_LIMIT_PER_IP: '1000' } });
    [ada, bob, cyd, dan] = [await signUpAndLogIn(), await signUpAndLogIn(), await signUpAndLogIn(), await signUpAndLogIn()];
    for (const user of [ada, bob, cyd, dan]) {
      await eventually(async () => (await gql(system.consumerUrl, 'query($id: ID!) { user(id: $id) { id } }', { id: user.id })).data?.user?.id === user.id, { what: 'user projected' });
    }
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it("when a user follows another through GraphQL and the other posts, the post is in the follower's feed with its author, and the author's profile counts it", async () => {
    const followed = await follow(bob, ada);
    expect(followed.data.follow).toEqual({ followerId: bob.id, followeeId: ada.id, followedAt: expect.any(String) });
    await followsProjected(ada, 1);

    const post = await createPost(ada, 'Hello from Ada');
    expect(post.authorId).toBe(ada.id);
    await eventually(async () => (await feedIds(bob)).includes(post.id), { what: 'post in feed' });

    const feed = await gql(system.consumerUrl, FEED, {}, bob.asUser);
    expect(feed.data.feed.edges[0].node).toEqual({ id: post.id, title: 'Hello from Ada', author: { id: ada.id, username: expect.any(String) } });
    const profile = await gql(system.consumerUrl, 'query($id: ID!) { user(id: $id) { followersCount followingCount posts(first: 5) { id } } }', { id: ada.id });
    expect(profile.data.user).toEqual({ followersCount: 1, followingCount: 0, posts: [{ id: post.id }] });
    const one = await gql(system.consumerUrl, 'query($id: ID!) { post(id: $id) { id title authorId } }', { id: post.id });
    expect(one.data.post).toEqual({ id: post.id, title: 'Hello from Ada', authorId: ada.id });
    expect((await gql(system.consumerUrl, 'query($id: ID!) { user(id: $id) { followingCount } }', { id: bob.id })).data.user.followingCount).toBe(1);
  });

  it('when a post is invalid, createPost answers BAD_USER_INPUT naming the field, and echoes nothing', async () => {
    const answer = await gql(system.consumerUrl, CREATE_POST, { input: { title: 'x', body: 'secret-looking body text' } }, ada.asUser);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', details: [{ path: 'title', message: 'must be at least 2 characters' }] });
    expect(JSON.stringify(answer)).not.toContain('secret-looking');
  });

  it("when anonymous, feed, feedItemAdded and the feed's mutations are refused with UNAUTHENTICATED; nobody can name another user's feed", async () => {
    for (const query of [FEED, 'mutation { createPost(input: { title: "Hi there", body: "Long enough body." }) { id } }']) {
      expect((await gql(system.consumerUrl, query)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect((await gql(system.consumerUrl, FOLLOW, { id: ada.id })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await gql(system.consumerUrl, FEED, {}, { authorization: 'Bearer forged' })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // There is no argument to ask for someone else's feed.
    const other = await gql(system.consumerUrl, 'query($id: ID!) { feed(userId: $id) { edges { cursor } } }', { id: bob.id }, cyd.asUser);
    expect(other.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const socket = wsClient(system.consumerUrl);
    const anonymous = socket.subscribe('subscription { feedItemAdded { id } }');
    await anonymous.done;
    expect(anonymous.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
    const removals = socket.subscribe('subscription { feedItemRemoved }');
    await removals.done;
    expect(removals.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
    await socket.close();
  });

  it("when a followee posts, feedItemAdded pushes it to the follower alone, on another consumer task too, once it is in the follower's feed", async () => {
    await follow(cyd, dan);
    await followsProjected(dan, 1);
    const second = await system.addConsumer();
    // Bob listens on the second task, cyd and ada on the first: who projects the post is Kafka's choice.
    const bobSocket = wsClient(second.url, bob.asUser);
    const cydSocket = wsClient(system.consumerUrl, cyd.asUser);
    const adaSocket = wsClient(system.consumerUrl, ada.asUser);
    const query = 'subscription { feedItemAdded { id authorId title } }';
    const [bobHears, cydHears, adaHears] = [bobSocket.subscribe(query), cydSocket.subscribe(query), adaSocket.subscribe(query)];
    try {
      // A subscription is live once a push reaches it; keep posting until each has heard one.
      let warmUp = 0;
      await eventually(
        async () => {
          warmUp += 1;
          await createPost(ada, `Warm-up ${warmUp}`);
          await createPost(dan, `Warm-up ${warmUp}`);
          return bobHears.received.length > 0 && cydHears.received.length > 0;
        },
        { what: 'subscriptions live', intervalMs: 500 },
      );

      const post = await createPost(ada, 'For my followers');
      const marker = await createPost(dan, 'For cyd');
      await eventually(async () => bobHears.received.some((data) => data.feedItemAdded.id === post.id), { what: 'bob hears the post' });
      expect(await feedIds(bob)).toContain(post.id);
      await eventually(async () => cydHears.received.some((data) => data.feedItemAdded.id === marker.id), { what: 'cyd hears dan' });

      expect(cydHears.received.map((data) => data.feedItemAdded.authorId)).toEqual(cydHears.received.map(() => dan.id));
      expect(bobHears.received.map((data) => data.feedItemAdded.authorId)).toEqual(bobHears.received.map(() => ada.id));
      expect(adaHears.received).toEqual([]);
      expect(bobHears.received.filter((data) => data.feedItemAdded.id === post.id)).toHaveLength(1);
    } finally {
      await Promise.all([bobSocket.close(), cydSocket.close(), adaSocket.close()]);
    }
  });

  it("when an author deletes a post through GraphQL, it leaves the follower's feed and feedItemRemoved tells the follower; nobody else can delete it", async () => {
    const socket = wsClient(system.consumerUrl, bob.asUser);
    const added = socket.subscribe('subscription { feedItemAdded { id } }');
    const removed = socket.subscribe('subscription { feedItemRemoved }');
    try {
      // Live once a post of ada's reaches bob.
      let warmUp = 0;
      await eventually(async () => {
        warmUp += 1;
        await createPost(ada, `Before deleting ${warmUp}`);
        return added.received.length > 0;
      }, { what: 'subscriptions live', intervalMs: 500 });
      const doomed = await createPost(ada, 'Soon gone');
      await eventually(async () => (await feedIds(bob)).includes(doomed.id), { what: 'the post in bob\'s feed' });

      const DELETE = 'mutation($id: ID!) { deletePost(id: $id) }';
      expect((await gql(system.consumerUrl, DELETE, { id: doomed.id }, cyd.asUser)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await gql(system.consumerUrl, DELETE, { id: doomed.id })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(await gql(system.consumerUrl, DELETE, { id: doomed.id }, ada.asUser)).toEqual({ data: { deletePost: true } });

      await eventually(async () => removed.received.some((data) => data.feedItemRemoved === doomed.id), { what: 'bob told of the deletion' });
      expect(await feedIds(bob)).not.toContain(doomed.id);
      expect((await gql(system.consumerUrl, 'query($id: ID!) { post(id: $id) { id } }', { id: doomed.id })).data).toEqual({ post: null });
    } finally {
      await socket.close();
    }
  });

  it("when a user unfollows through GraphQL, the followee's posts leave the feed", async () => {
    expect((await gql(system.consumerUrl, UNFOLLOW, { id: ada.id }, bob.asUser)).data).toEqual({ unfollow: true });
    await eventually(async () => (await feedIds(bob)).length === 0, { what: 'feed emptied' });
    await followsProjected(ada, 0);
  });

  it('when a user follows themselves or someone unknown, follow is refused with the producer\'s code', async () => {
    expect((await gql(system.consumerUrl, FOLLOW, { id: ada.id }, ada.asUser)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await gql(system.consumerUrl, FOLLOW, { id: '00000000-0000-4000-8000-000000000000' }, ada.asUser)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await gql(system.consumerUrl, FOLLOW, { id: 'nobody' }, ada.asUser)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
