import { QueryTypes, type Sequelize } from 'sequelize';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { republishInBatches, type RepublishOptions } from '../outbox/republish-in-batches';
import { issuedTokenEvent } from './auth-events';

interface AccessTokenRow {
  access_jti: string;
  user_id: string;
  access_reason: 'login' | 'refresh';
  access_issued_at: Date;
  access_expires_at: Date;
}

/**
 * Writes an issued-token for every access token that has not expired into the outbox, keyed by
 * its user as the live write is, from what each refresh_tokens row records of the access token
 * issued with it (token-issuer.ts). Only those: the tokens read model is there for the tokens a
 * user can still be using, and an expired one opens nothing. A deleted user's rows went with the
 * account, so none of their tokens come back.
 */
export function createTokenRepublisher({ sequelize, outbox, topics }: { sequelize: Sequelize; outbox: OutboxWriter; topics: { issuedToken: string } }) {
  return (options: RepublishOptions = {}): Promise<number> =>
    republishInBatches<AccessTokenRow>({
      ...options,
      sequelize,
      outbox,
      page: (after, limit) =>
        sequelize.query<AccessTokenRow>(
          `SELECT access_jti, user_id, access_reason, access_issued_at, access_expires_at FROM refresh_tokens
            WHERE access_expires_at > now() AND ($after::uuid IS NULL OR access_jti > $after::uuid)
            ORDER BY access_jti LIMIT $limit`,
          { bind: { after: after?.access_jti ?? null, limit }, type: QueryTypes.SELECT },
        ),
      entries: (rows) =>
        rows.map((row) => ({
          topic: topics.issuedToken,
          key: row.user_id,
          event: issuedTokenEvent({ jti: row.access_jti, userId: row.user_id, reason: row.access_reason, issuedAt: row.access_issued_at, expiresAt: row.access_expires_at }),
        })),
    });
}
