import type { IssuedToken } from '@herald/events';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Located } from '@herald/kafka';
import { lockAuthors } from './author-locks';

export interface TokenView {
  jti: string;
  userId: string;
  reason: 'login' | 'refresh';
  issuedAt: string;
  expiresAt: string;
  partition: number;
  offset: string;
}

interface TokenRow {
  jti: string;
  user_id: string;
  reason: 'login' | 'refresh';
  issued_at: Date;
  expires_at: Date;
  kafka_partition: number;
  kafka_offset: string;
}

const toView = (row: TokenRow): TokenView => ({
  jti: row.jti,
  userId: row.user_id,
  reason: row.reason,
  issuedAt: row.issued_at.toISOString(),
  expiresAt: row.expires_at.toISOString(),
  partition: row.kafka_partition,
  offset: String(row.kafka_offset),
});

export type TokensReadModel = ReturnType<typeof createTokensReadModel>;

/** The issued-tokens read model: written from `issued-token`, read by GraphQL. */
export function createTokensReadModel({ sequelize }: { sequelize: Sequelize }) {
  return {
    /**
     * Inserts the tokens of these events (a redelivered one changes nothing) and returns how many
     * were new. A token may arrive before its user (the user's event travels on another topic and
     * partition); it is stored all the same and joins its user when read, so it never waits.
     */
    async insert(records: Located<IssuedToken>[], transaction: Transaction): Promise<number> {
      if (records.length === 0) return 0;
      const rows = records.map(({ event, partition, offset }) => ({
        jti: event.payload.jti,
        user_id: event.payload.userId,
        reason: event.payload.reason,
        issued_at: event.payload.issuedAt,
        expires_at: event.payload.expiresAt,
        event_id: event.eventId,
        kafka_partition: partition,
        kafka_offset: offset,
      }));
      // A deleted user's tombstone wins; the lock keeps a deletion from committing in between.
      await lockAuthors(sequelize, rows.map((row) => row.user_id), transaction);
      const inserted = await sequelize.query<{ jti: string }>(
        `INSERT INTO issued_tokens (jti, user_id, reason, issued_at, expires_at, event_id, kafka_partition, kafka_offset)
         SELECT * FROM json_to_recordset(:rows) AS r(jti uuid, user_id uuid, reason text, issued_at timestamptz,
           expires_at timestamptz, event_id uuid, kafka_partition integer, kafka_offset bigint)
          WHERE NOT EXISTS (SELECT 1 FROM deleted_users d WHERE d.user_id = r.user_id)
         ON CONFLICT (jti) DO NOTHING
         RETURNING jti`,
        { replacements: { rows: JSON.stringify(rows) }, type: QueryTypes.SELECT, transaction },
      );
      return inserted.length;
    },

    async ofUser(userId: string, first: number): Promise<TokenView[]> {
      const rows = await sequelize.query<TokenRow>(
        'SELECT * FROM issued_tokens WHERE user_id = :userId ORDER BY issued_at DESC, jti LIMIT :first',
        { replacements: { userId, first }, type: QueryTypes.SELECT },
      );
      return rows.map(toView);
    },
  };
}
