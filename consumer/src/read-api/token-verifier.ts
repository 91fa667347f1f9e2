import { UnauthenticatedError } from '@herald/core';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { z } from 'zod';

/** A session id (`sid`): the producer makes them with randomUUID. */
const SESSION_ID = z.uuid();
import { ProducerUnavailableError } from '../producer/producer-http-client';

export type TokenVerifier = (authorization: string | null | undefined) => Promise<{ userId: string; jti: string; sessionId: string }>;

/**
 * Verifies access tokens with the producer's public keys (JWKS, fetched over service discovery and
 * cached; an unknown key id triggers a refetch, so key rotation needs no restart), and refuses one
 * whose session has ended (`sid`, looked up in the ended sessions the projector writes from
 * session-ended), although the token itself has not expired. No secret is shared between the
 * services.
 */
export function createTokenVerifier({
  producerUrl,
  issuer,
  audience,
  cacheMs,
  timeoutMs,
  hasEnded,
}: {
  producerUrl: string;
  issuer: string;
  audience: string;
  cacheMs: number;
  timeoutMs: number;
  /** Whether the session has ended (sessions-read-model.ts). */
  hasEnded: (sessionId: string) => Promise<boolean>;
}): TokenVerifier {
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', producerUrl), { cacheMaxAge: cacheMs, timeoutDuration: timeoutMs });
  return async (authorization) => {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization ?? '');
    if (!match?.[1]) throw new UnauthenticatedError('An access token is required: Authorization: Bearer <accessToken>');
    let payload;
    try {
      ({ payload } = await jwtVerify(match[1], jwks, { issuer, audience, algorithms: ['EdDSA'] }));
    } catch (error) {
      // jose's own errors are about the token (expired, bad signature, unknown key); anything
      // else, and a JWKS timeout, means the keys could not be fetched.
      if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) {
        throw new UnauthenticatedError('The access token is invalid or expired');
      }
      throw new ProducerUnavailableError(`The producer's public keys at ${producerUrl} could not be fetched`, { cause: error });
    }
    const { sub, jti, sid } = payload;
    if (!sub || !jti || typeof sid !== 'string' || !SESSION_ID.safeParse(sid).success) throw new UnauthenticatedError('The access token is invalid or expired');
    if (await hasEnded(sid)) throw new UnauthenticatedError('The session of this access token has ended; log in again');
    return { userId: sub, jti, sessionId: sid };
  };
}
