import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { buildEvent } from '@herald/events';
import { SignJWT } from 'jose';
import type { Sequelize, Transaction } from 'sequelize';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { JWT_ALGORITHM, type SigningKey } from './signing-key';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface JwtSettings {
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

/** Refresh tokens are 256 random bits, so a fast hash is enough to store them safely. */
export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export type TokenIssuer = ReturnType<typeof createTokenIssuer>;

/**
 * Issues an access token (a short-lived JWT with a `jti`) and a refresh token (random, stored
 * hashed), and records an `issued-token` event, all inside the caller's transaction.
 */
export function createTokenIssuer({
  sequelize,
  outbox,
  signingKey,
  settings,
  topic,
}: {
  sequelize: Sequelize;
  outbox: OutboxWriter;
  signingKey: SigningKey;
  settings: JwtSettings;
  topic: string;
}) {
  return async function issueTokens(
    { userId, reason, traceparent }: { userId: string; reason: 'login' | 'refresh'; traceparent?: string },
    transaction: Transaction,
  ): Promise<TokenPair> {
    const jti = randomUUID();
    const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const expiresAt = new Date(issuedAt.getTime() + settings.accessTokenTtlSeconds * 1000);
    const refreshToken = randomBytes(32).toString('base64url');

    await sequelize.query('INSERT INTO refresh_tokens (id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)', {
      bind: [randomUUID(), userId, hashRefreshToken(refreshToken), new Date(issuedAt.getTime() + settings.refreshTokenTtlSeconds * 1000)],
      transaction,
    });
    const event = buildEvent('issued-token', {
      jti,
      userId,
      reason,
      issuedAt: issuedAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
    await outbox.add({ topic, key: userId, event, traceparent }, transaction);

    const accessToken = await new SignJWT({})
      .setProtectedHeader({ alg: JWT_ALGORITHM, kid: signingKey.keyId, typ: 'JWT' })
      .setSubject(userId)
      .setJti(jti)
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(signingKey.privateKey);
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: settings.accessTokenTtlSeconds };
  };
}
