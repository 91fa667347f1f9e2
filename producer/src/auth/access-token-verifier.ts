import { UnauthenticatedError } from '@herald/core';
import { jwtVerify } from 'jose';
import { JWT_ALGORITHM, type SigningKey } from './signing-key';

export type AccessTokenVerifier = (token: string) => Promise<{ userId: string }>;

/**
 * Verifies an access token the producer signed: one of the keys its JWKS serves (found by `kid`), EdDSA only, the configured
 * issuer and audience, not expired. Any failure is one 401, whatever was wrong with the token.
 */
export function createAccessTokenVerifier({ signingKey, issuer, audience }: { signingKey: SigningKey; issuer: string; audience: string }): AccessTokenVerifier {
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, signingKey.verificationKeys, { algorithms: [JWT_ALGORITHM], issuer, audience, requiredClaims: ['sub', 'jti', 'exp'] });
      return { userId: payload.sub! };
    } catch {
      throw new UnauthenticatedError('Invalid or expired access token');
    }
  };
}
