import { z } from 'zod';

// What the producer answers, as zod schemas the OpenAPI document is generated from. Requests are
// described by the very schemas the routes validate with (users/user-schemas.ts and the others);
// answers by these, which the REST tests check every answer against (producer/test/support/contract.ts).

const isoTime = z.iso.datetime({ offset: true });

export const publicUserSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    email: z.email(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    createdAt: isoTime,
  })
  .meta({ id: 'User', description: 'A whole user, shown only to that user.' });

export const userProfileSchema = publicUserSchema.omit({ email: true }).meta({ id: 'UserProfile', description: 'What any signed-in user may see of another: no e-mail.' });

export const tokenPairSchema = z
  .object({
    accessToken: z.string().meta({ description: 'A JWT (EdDSA), verified with the keys at /.well-known/jwks.json.' }),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.int().positive().meta({ description: 'Seconds until the access token expires.' }),
  })
  .meta({ id: 'TokenPair' });

export const endedSessionsSchema = z.object({ endedSessions: z.int().nonnegative() }).meta({ id: 'EndedSessions' });

export const postSchema = z
  .object({ id: z.uuid(), authorId: z.uuid(), title: z.string(), body: z.string(), createdAt: isoTime })
  .meta({ id: 'Post' });

export const followSchema = z.object({ followerId: z.uuid(), followeeId: z.uuid(), followedAt: isoTime }).meta({ id: 'Follow' });

export const userKeysAnswerSchema = z
  .object({ keys: z.record(z.uuid(), z.base64url()).meta({ description: "Each existing user's 32-byte data key, base64url; erased users are absent." }) })
  .meta({ id: 'UserKeys' });

export const jwksSchema = z
  .object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string() })) })
  .meta({ id: 'JsonWebKeySet', description: 'RFC 7517: the public keys access tokens are signed with.' });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable and machine-readable, e.g. BAD_USER_INPUT, RATE_LIMITED.' }),
      message: z.string().meta({ description: 'For people; never quotes the request.' }),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional().meta({ description: 'One entry per field at fault.' }),
    }),
  })
  .meta({ description: 'Every refusal: `{error: {code, message, details?}}`.' });

export const pingSchema = z.object({ service: z.string(), version: z.string(), startedAt: isoTime, pid: z.int() }).meta({ id: 'Ping' });

export const healthSchema = z
  .object({ status: z.enum(['ok', 'failing', 'ready', 'not ready']), checks: z.record(z.string(), z.boolean()).optional() })
  .meta({ id: 'Health' });
