import { UnauthenticatedError } from '@herald/core';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { Sessions } from './sessions';
import { hashRefreshToken, type TokenIssuer, type TokenPair } from './token-issuer';

const USABLE = 'used_at IS NULL AND revoked_at IS NULL AND expires_at > now()';

/**
 * Uses the token up, stores its successor and writes the event to the outbox in one statement:
 * a statement is its own transaction, so the three writes commit (and the event is published)
 * together or not at all, in one round trip instead of five (BEGIN, three writes, COMMIT). The
 * UPDATE's RETURNING feeds both INSERTs, so a token used up meanwhile by a concurrent refresh
 * inserts nothing and answers no row.
 */
const REFRESH_STATEMENT = `
  WITH used AS (
    UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1 AND user_id = $2 AND ${USABLE} RETURNING user_id, session_id
  ), successor AS (
    INSERT INTO refresh_tokens (id, user_id, session_id, token_hash, expires_at, access_jti, access_reason, access_issued_at, access_expires_at)
    SELECT $3, user_id, session_id, $4, $5, $11, $12, $13, $14 FROM used
  ), event AS (
    INSERT INTO outbox_events (event_id, topic, key, value, headers) SELECT $6, $7, $8, $9, $10 FROM used
  )
  SELECT user_id FROM used`;

/**
 * Trades a refresh token for a new pair of the same session. The old token is used up in the same
 * statement that stores the new one and its event, so a token works once. Presenting a used token
 * again means it leaked (or was stolen): every session of that user ends (refresh-token-reused),
 * so the thief's access tokens are refused too, not only its refresh tokens.
 */
export function createRefresh({ sequelize, tokens, sessions }: { sequelize: Sequelize; tokens: TokenIssuer; sessions: Pick<Sessions, 'end'> }) {
  return async function refresh({ refreshToken }: { refreshToken: string }, { traceparent }: { traceparent?: string } = {}): Promise<TokenPair> {
    const tokenHash = hashRefreshToken(refreshToken);
    // The event carries the user id, so it is read first; the statement checks the token again.
    const [owner] = await sequelize.query<{ user_id: string; session_id: string | null }>(`SELECT user_id, session_id FROM refresh_tokens WHERE token_hash = $1 AND ${USABLE}`, {
      bind: [tokenHash],
      type: QueryTypes.SELECT,
    });
    if (owner?.session_id) {
      const { pair, refreshRow, outboxRow } = await tokens.prepare({ userId: owner.user_id, sessionId: owner.session_id, reason: 'refresh', traceparent });
      const { access } = refreshRow;
      const used = await sequelize.query(REFRESH_STATEMENT, {
        bind: [
          tokenHash, owner.user_id, refreshRow.id, refreshRow.tokenHash, refreshRow.expiresAt, outboxRow.eventId, outboxRow.topic, outboxRow.key, outboxRow.value, outboxRow.headers,
          access.jti, access.reason, access.issuedAt, access.expiresAt,
        ],
        type: QueryTypes.SELECT,
      });
      if (used.length === 1) return pair;
    }

    const [reused] = await sequelize.query<{ user_id: string }>('SELECT user_id FROM refresh_tokens WHERE token_hash = $1 AND used_at IS NOT NULL', { bind: [tokenHash], type: QueryTypes.SELECT });
    if (reused) await sessions.end({ userId: reused.user_id, reason: 'refresh-token-reused', traceparent });
    throw new UnauthenticatedError('Invalid or expired refresh token');
  };
}
