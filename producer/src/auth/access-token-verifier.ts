import { UnauthenticatedError } from '@herald/core';
import { jwtVerify } from 'jose';
import { z } from 'zod';

/** A session id (`sid`): the producer makes them with randomUUID. */
const SESSION_ID = z.uuid();
import type { Sessions } from './sessions';
import { JWT_ALGORITHM, type SigningKey } from './signing-key';

export type AccessTokenVerifier = (token: string) => Promise<{ userId: string; sessionId: string }>;

/**
 * Verifies an access token the producer signed: one of the keys its JWKS serves (found by `kid`),
 * EdDSA only, the configured issuer and audience, not expired, and of a session still open (a
 * logout ends it at once, although the token itself has not expired). Any failure of the token is
 * one 401, whatever was wrong with it.
 */
export function createAccessTokenVerifier({
  signingKey,
  issuer,
  audience,
  sessions,
}: {
  signingKey: SigningKey;
  issuer: string;
  audience: string;
  sessions: Pick<Sessions, 'isOpen'>;
}): AccessTokenVerifier {
  return async (token) => {
    let userId: string;
    let sessionId: unknown;
    try {
      const { payload } = await jwtVerify(token, signingKey.verificationKeys, { algorithms: [JWT_ALGORITHM], issuer, audience, requiredClaims: ['sub', 'jti', 'exp', 'sid'] });
      userId = payload.sub!;
      sessionId = payload.sid;
    } catch {
      throw new UnauthenticatedError('Invalid or expired access token');
    }
    if (typeof sessionId !== 'string' || !SESSION_ID.safeParse(sessionId).success) throw new UnauthenticatedError('Invalid or expired access token');
    if (!(await sessions.isOpen(sessionId))) throw new UnauthenticatedError('The session of this access token has ended; log in again');
    return { userId, sessionId };
  };
}
