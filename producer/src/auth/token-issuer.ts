import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Sequelize, Transaction } from 'sequelize';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { issuedTokenEvent, type AccessTokenRecord } from './auth-events';
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

/** Tokens for a user's session (started by a login, carried on by each refresh). */
export interface IssueRequest {
  userId: string;
  sessionId: string;
  reason: 'login' | 'refresh';
  traceparent?: string;
}

/** What one issuance writes, computed (and the access token signed) before any write. */
export interface PreparedTokens {
  pair: TokenPair;
  /**
   * The refresh_tokens row: id, the stored hash, when it expires, and the access token issued with
   * it (never the token itself), which a rebuild publishes again while it lives (republish-tokens.ts).
   */
  refreshRow: { id: string; tokenHash: string; expiresAt: Date; access: AccessTokenRecord };
  /** The issued-token event's outbox row (OutboxWriter.row). */
  outboxRow: ReturnType<OutboxWriter['row']>;
}

/**
 * Issues an access token (a short-lived JWT with a `jti` and its session's id, `sid`) and a
 * refresh token (random, stored hashed, of the same session), and records an `issued-token` event. `issue` writes both inside the caller's
 * transaction; `prepare` only computes them, for a caller that writes them in one statement
 * (refresh). The access token is signed before anything is written: a failure to sign leaves
 * nothing behind, and nothing is published for a token its client never got.
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
  async function prepare({ userId, sessionId, reason, traceparent }: IssueRequest): Promise<PreparedTokens> {
    const jti = randomUUID();
    const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const expiresAt = new Date(issuedAt.getTime() + settings.accessTokenTtlSeconds * 1000);
    const refreshToken = randomBytes(32).toString('base64url');
    const access: AccessTokenRecord = { jti, userId, reason, issuedAt, expiresAt };
    const accessToken = await new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: JWT_ALGORITHM, kid: signingKey.keyId, typ: 'JWT' })
      .setSubject(userId)
      .setJti(jti)
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(signingKey.privateKey);
    return {
      pair: { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: settings.accessTokenTtlSeconds },
      refreshRow: { id: randomUUID(), tokenHash: hashRefreshToken(refreshToken), expiresAt: new Date(issuedAt.getTime() + settings.refreshTokenTtlSeconds * 1000), access },
      outboxRow: outbox.row({ topic, key: userId, event: issuedTokenEvent(access), traceparent }),
    };
  }

  return {
    prepare,
    async issue(args: IssueRequest, transaction: Transaction): Promise<TokenPair> {
      const { pair, refreshRow, outboxRow } = await prepare(args);
      const { access } = refreshRow;
      await sequelize.query(
        `INSERT INTO refresh_tokens (id, user_id, session_id, token_hash, expires_at, access_jti, access_reason, access_issued_at, access_expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        { bind: [refreshRow.id, args.userId, args.sessionId, refreshRow.tokenHash, refreshRow.expiresAt, access.jti, access.reason, access.issuedAt, access.expiresAt], transaction },
      );
      await outbox.insert(outboxRow, transaction);
      return pair;
    },
  };
}
