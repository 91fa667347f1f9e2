import { NotFoundError } from '@herald/core';
import { Router } from 'express';
import type { AccessTokenVerifier } from '../auth/access-token-verifier';
import { clientIp } from '../http/client-ip';
import { requireBearer, type Caller } from '../http/require-bearer';
import { validate } from '../http/validate';
import type { RequestLimits } from '../limits/request-limits';
import type { createSignUp } from './sign-up';
import type { createAccountDeletion } from './delete-account';
import type { createProfileUpdate } from './update-profile';
import type { PublicUser, UserRepository } from './user-repository';
import { accountDeletionSchema, profileChangeSchema, signUpSchema, userIdSchema } from './user-schemas';

/** What anyone signed in may see of another user: no e-mail (personal data is its owner's). */
export type UserProfile = Omit<PublicUser, 'email'>;
const profileOf = ({ id, username, firstName, lastName, createdAt }: PublicUser): UserProfile => ({ id, username, firstName, lastName, createdAt });

export function createUserRoutes({
  signUp,
  updateProfile,
  deleteAccount,
  users,
  limits,
  verifyAccessToken,
}: {
  signUp: ReturnType<typeof createSignUp>;
  updateProfile: ReturnType<typeof createProfileUpdate>;
  deleteAccount: ReturnType<typeof createAccountDeletion>;
  users: UserRepository;
  limits: Pick<RequestLimits, 'signUp'>;
  verifyAccessToken: AccessTokenVerifier;
}): Router {
  const router = Router();

  router.post('/users', async (req, res) => {
    const input = validate(signUpSchema, req.body);
    // Before the availability check and the password hash, which are what a flood would cost.
    await limits.signUp({ ip: clientIp(req), username: input.username });
    const user = await signUp(input, { traceparent: req.get('traceparent') });
    res.status(201).location(`/users/${user.id}`).json(user);
  });

  // The caller's own profile: the fields given change; answers the whole user at its new revision.
  router.patch('/users/me', requireBearer(verifyAccessToken), async (req, res) => {
    const change = validate(profileChangeSchema, req.body);
    const { revision: _revision, updatedAt: _updatedAt, ...user } = await updateProfile(res.locals.caller as Caller, change, { traceparent: req.get('traceparent') });
    res.set('Cache-Control', 'no-store').json(user);
  });

  // The caller's own account, with the current password: 204, and nothing of it is left.
  router.delete('/users/me', requireBearer(verifyAccessToken), async (req, res) => {
    const input = validate(accountDeletionSchema, req.body);
    await deleteAccount(res.locals.caller as Caller, input, { traceparent: req.get('traceparent') });
    res.status(204).end();
  });

  // The whole user to its owner; the public profile to anyone else signed in.
  router.get('/users/:id', requireBearer(verifyAccessToken), async (req, res) => {
    const id = validate(userIdSchema, req.params.id, 'user id');
    const user = await users.findById(id);
    if (!user) throw new NotFoundError('No such user');
    const caller = res.locals.caller as Caller;
    res.set('Cache-Control', 'private, no-store').json(caller.userId === user.id ? user : profileOf(user));
  });

  return router;
}
