import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Logger } from '@herald/core';
import { importPKCS8, type CryptoKey } from 'jose';

export const JWT_ALGORITHM = 'EdDSA';

export interface SigningKey {
  keyId: string;
  privateKey: CryptoKey;
  /** For verifying the producer's own tokens (GET /users/:id). */
  publicKey: KeyObject;
  /** The public half as a JWK, served at /.well-known/jwks.json for verifiers. */
  publicJwk: JsonWebKey & { kid: string; alg: string; use: string };
}

/**
 * The Ed25519 key that signs access tokens. Verifiers (the consumer) need only the public key,
 * so no shared secret leaves the producer. Without a configured key (development only) a fresh
 * one is made per process: tokens then stop verifying after a restart.
 */
export async function loadSigningKey({ privateKeyPem, keyId, logger }: { privateKeyPem?: string; keyId: string; logger: Logger }): Promise<SigningKey> {
  let pem = privateKeyPem?.replaceAll('\\n', '\n');
  if (!pem) {
    logger.warn('JWT_PRIVATE_KEY is not set: using a key generated for this process (development only)');
    pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }
  const publicKey = createPublicKey(createPrivateKey(pem));
  const publicJwk = publicKey.export({ format: 'jwk' });
  if (publicJwk.crv !== 'Ed25519') throw new Error('JWT_PRIVATE_KEY must be an Ed25519 key in PKCS#8 PEM');
  return {
    keyId,
    privateKey: await importPKCS8(pem, JWT_ALGORITHM),
    publicKey,
    publicJwk: { ...publicJwk, kid: keyId, alg: JWT_ALGORITHM, use: 'sig' },
  };
}
