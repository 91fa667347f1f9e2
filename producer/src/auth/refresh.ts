import { UnauthenticatedError } from '@herald/core';
import { QueryTypes, type Sequelize } from 'sequelize';
import { hashRefreshToken, type TokenIssuer, type TokenPair } from './token-issuer';

/**
 * Trades a refresh token for a new pair. The old token is used up in the same transaction that
 * issues the new one, so a token works once. Presenting a used token again means it leaked (or
 * was stolen): every refresh token of that user is revoked.
 */
export function createRefresh({ sequelize, issueTokens }: { sequelize: Sequelize; issueTokens: TokenIssuer }) {
  return async function refresh({ refreshToken }: { refreshToken: string }, { traceparent }: { traceparent?: string } = {}): Promise<TokenPair> {
    const tokenHash = hashRefreshToken(refreshToken);
    const issued = await sequelize.transaction(async (transaction) => {
      const [used] = await sequelize.query<{ user_id: string }>(
        `UPDATE refresh_tokens SET used_at = now()
          WHERE token_hash = :tokenHash AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
          RETURNING user_id`,
        { replacements: { tokenHash }, type: QueryTypes.SELECT, transaction },
      );
      if (!used) return undefined;
      return issueTokens({ userId: used.user_id, reason: 'refresh', traceparent }, transaction);
    });
    if (issued) return issued;

    await sequelize.query(
      `UPDATE refresh_tokens SET revoked_at = now()
        WHERE revoked_at IS NULL AND user_id IN (SELECT user_id FROM refresh_tokens WHERE token_hash = :tokenHash AND used_at IS NOT NULL)`,
      { replacements: { tokenHash } },
    );
    throw new UnauthenticatedError('Invalid or expired refresh token');
  };
}
