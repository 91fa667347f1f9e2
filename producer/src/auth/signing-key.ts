import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import type { Logger } from '@herald/core';
import { createLocalJWKSet, importPKCS8, type CryptoKey, type JWTVerifyGetKey } from 'jose';

export const JWT_ALGORITHM = 'EdDSA';

export type PublicJwk = JsonWebKey & { kid: string; alg: string; use: string };

export interface SigningKey {
  keyId: string;
  privateKey: CryptoKey;
  /** Every key tokens may be signed with, for /.well-known/jwks.json: the signing key first, then the extra ones. */
  jwks: { keys: PublicJwk[] };
  /** Finds the key of a token among `jwks` by its `kid` (the producer's own verifier, GET /users/:id). */
  verificationKeys: JWTVerifyGetKey;
}

const toJwk = (pem: string, kid: string, name: string): PublicJwk => {
  const jwk = createPublicKey(pem).export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519') throw new Error(`${name} must be an Ed25519 key in PEM`);
  return { ...jwk, kid, alg: JWT_ALGORITHM, use: 'sig' };
};

/**
 * The Ed25519 key that signs access tokens, and the public keys served beside it. Verifiers (the
 * consumer) need only public keys, so no shared secret leaves the producer. Serving the next key
 * before it signs, and the previous one while its tokens live, lets a rolling deploy change the
 * key with every task's tokens verifying everywhere. Without a configured key (development only)
 * a fresh one is made per process: tokens then stop verifying after a restart.
 */
export async function loadSigningKey({
  privateKeyPem,
  keyId,
  extraPublicKeys = {},
  logger,
}: {
  privateKeyPem?: string;
  keyId: string;
  extraPublicKeys?: Record<string, string>;
  logger: Logger;
}): Promise<SigningKey> {
  let pem = privateKeyPem?.replaceAll('\\n', '\n');
  if (!pem) {
    logger.warn('JWT_PRIVATE_KEY is not set: using a key generated for this process (development only)');
    pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }
  const signing = toJwk(createPublicKey(createPrivateKey(pem)).export({ format: 'pem', type: 'spki' }).toString(), keyId, 'JWT_PRIVATE_KEY');
  const extra = Object.entries(extraPublicKeys).map(([kid, publicPem]) => toJwk(publicPem.replaceAll('\\n', '\n'), kid, `JWT_EXTRA_PUBLIC_KEYS.${kid}`));
  const jwks = { keys: [signing, ...extra] };
  logger.info({ keyId, published: jwks.keys.map((key) => key.kid), from: privateKeyPem ? 'JWT_PRIVATE_KEY' : 'generated' }, 'signing access tokens');
  return {
    keyId,
    privateKey: await importPKCS8(pem, JWT_ALGORITHM),
    jwks,
    verificationKeys: createLocalJWKSet(jwks),
  };
}
