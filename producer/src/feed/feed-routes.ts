import { NotFoundError } from '@herald/core';
import { Router } from 'express';
import type { AccessTokenVerifier } from '../auth/access-token-verifier';
import { requireBearer, type Caller } from '../http/require-bearer';
import { validate } from '../http/validate';
import type { RequestLimits } from '../limits/request-limits';
import { followSchema, newPostSchema, postIdSchema } from './feed-schemas';
import type { Follows } from './follows';
import type { Posts } from './posts';
import { userIdSchema } from '../users/user-schemas';

/**
 * The feed's writes, and one post by id. Every route needs a bearer token, and the actor is its
 * subject: nobody posts or follows in another user's name, whatever the body says.
 */
export function createFeedRoutes({
  posts,
  follows,
  limits,
  verifyAccessToken,
}: {
  posts: Posts;
  follows: Follows;
  limits: Pick<RequestLimits, 'post' | 'follow'>;
  verifyAccessToken: AccessTokenVerifier;
}): Router {
  const router = Router();
  const caller = (locals: Record<string, unknown>) => (locals.caller as Caller).userId;
  router.use(['/posts', '/follows'], requireBearer(verifyAccessToken));

  router.post('/posts', async (req, res) => {
    const userId = caller(res.locals);
    const input = validate(newPostSchema, req.body);
    await limits.post({ userId });
    const post = await posts.create(userId, input, { traceparent: req.get('traceparent') });
    res.status(201).location(`/posts/${post.id}`).json(post);
  });

  router.get('/posts/:id', async (req, res) => {
    const id = validate(postIdSchema, req.params.id, 'post id');
    const post = await posts.findById(id);
    if (!post) throw new NotFoundError('No such post');
    res.json(post);
  });

  router.delete('/posts/:id', async (req, res) => {
    const userId = caller(res.locals);
    const id = validate(postIdSchema, req.params.id, 'post id');
    await limits.post({ userId });
    await posts.delete(userId, id, { traceparent: req.get('traceparent') });
    res.status(204).end();
  });

  router.post('/follows', async (req, res) => {
    const userId = caller(res.locals);
    const { followeeId } = validate(followSchema, req.body);
    await limits.follow({ userId });
    res.status(201).json(await follows.follow(userId, followeeId, { traceparent: req.get('traceparent') }));
  });

  router.delete('/follows/:followeeId', async (req, res) => {
    const userId = caller(res.locals);
    const followeeId = validate(userIdSchema, req.params.followeeId, 'followee id');
    await limits.follow({ userId });
    await follows.unfollow(userId, followeeId, { traceparent: req.get('traceparent') });
    res.status(204).end();
  });

  return router;
}
