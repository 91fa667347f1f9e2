import { ForbiddenError, UnauthenticatedError } from '@herald/core';
import { bearerToken, createSecretCheck } from '@herald/http';
import { Router } from 'express';
import { z } from 'zod';
import { validate } from '../http/validate';
import type { UserKeys } from './user-keys';

/** Keys asked for at once: 200 ids are about 8 kB of JSON, well inside the 16 kB body limit. */
export const MAX_KEYS_PER_REQUEST = 200;

export const keysRequestSchema = z.strictObject({ userIds: z.array(z.uuid()).min(1).max(MAX_KEYS_PER_REQUEST) });

/**
 * `POST /internal/user-keys` {userIds}: the data keys of those users who exist, for the consumer to
 * open their events' sealed fields. A deleted user's key is gone, so it is simply not in the answer
 * (`keys` holds only the found ones, base64url). Only a caller holding USER_KEYS_TOKEN (a bearer
 * token) is served; without the setting the endpoint is off. POST, so ids stay out of access logs.
 */
export function createUserKeysRoutes({ userKeys, token }: { userKeys: Pick<UserKeys, 'find'>; token: string | undefined }): Router {
  const matches = token ? createSecretCheck(token) : undefined;
  const router = Router();
  router.post('/internal/user-keys', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    if (!matches) throw new ForbiddenError('The user-keys endpoint is switched off: set USER_KEYS_TOKEN (at least 32 characters) on the producer and the consumer');
    const presented = bearerToken(req.get('authorization'));
    if (!presented) throw new UnauthenticatedError('A bearer token (USER_KEYS_TOKEN) is required');
    if (!matches(presented)) throw new ForbiddenError('The token is not valid for user keys');
    const { userIds } = validate(keysRequestSchema, req.body);
    const keys = await userKeys.find([...new Set(userIds)]);
    res.json({ keys: Object.fromEntries([...keys].map(([userId, key]) => [userId, Buffer.from(key).toString('base64url')])) });
  });
  return router;
}
