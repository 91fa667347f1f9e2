import { isAppError } from '@herald/core';
import type { TokenVerifier } from '../token-verifier';

export interface Viewer {
  /** The user of the request's access token; UNAUTHENTICATED without a valid one. */
  requireId(): Promise<string>;
  /** The same, or undefined for an anonymous caller (no token or an invalid one). */
  id(): Promise<string | undefined>;
}

/**
 * Who is asking, from `Authorization: Bearer <accessToken>`. Verified once per request, however
 * many fields ask (a page of users asks for each user's e-mail).
 */
export function createViewer({ authorization, verifyToken }: { authorization: string | null; verifyToken: TokenVerifier }): Viewer {
  let verified: Promise<string> | undefined;
  const requireId = () => (verified ??= verifyToken(authorization).then(({ userId }) => userId));
  return {
    requireId,
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
