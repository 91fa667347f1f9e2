import { isAppError } from '@herald/core';
import type { TokenVerifier } from '../token-verifier';

export interface Viewer {
  /** The user of the request's access token; UNAUTHENTICATED without a valid one. */
  requireId(): Promise<string>;
  /** The same, with the session the token belongs to (what a logout ends). */
  requireSession(): Promise<{ userId: string; sessionId: string }>;
  /** The same, or undefined for an anonymous caller (no token or an invalid one). */
  id(): Promise<string | undefined>;
}

/**
 * Who is asking, from `Authorization: Bearer <accessToken>`. Verified once per request, however
 * many fields ask (a page of users asks for each user's e-mail).
 */
export function createViewer({ authorization, verifyToken }: { authorization: string | null; verifyToken: TokenVerifier }): Viewer {
  let verified: Promise<{ userId: string; sessionId: string }> | undefined;
  const requireSession = () => (verified ??= verifyToken(authorization).then(({ userId, sessionId }) => ({ userId, sessionId })));
  const requireId = async () => (await requireSession()).userId;
  return {
    requireId,
    requireSession,
    async id() {
      if (!authorization) return undefined;
      try {
        return await requireId();
      } catch (error) {
        // A bad token reads like no token for public fields; the producer being unreachable is not that.
        if (isAppError(error) && error.code === 'UNAUTHENTICATED') return undefined;
        throw error;
      }
    },
  };
}
