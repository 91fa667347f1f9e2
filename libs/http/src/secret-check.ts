import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Compares presented secrets with the expected one. Both sides are hashed first, so the comparison
 * takes the same time whatever the length or content of what was sent.
 */
export function createSecretCheck(expected: string): (presented: string) => boolean {
  const expectedDigest = digest(expected);
  return (presented) => timingSafeEqual(digest(presented), expectedDigest);
}

/** The token of an `Authorization: Bearer <token>` header, if that is what it holds. */
export const bearerToken = (authorization: string | null | undefined): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
