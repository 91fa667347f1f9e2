import type { SessionEnded } from '@herald/events';
import type { Located } from '@herald/kafka';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

export type SessionsReadModel = ReturnType<typeof createSessionsReadModel>;

/** The ended sessions: written from `session-ended`, asked by the read API's token verifier. */
export function createSessionsReadModel({ sequelize }: { sequelize: Sequelize }) {
  return {
    /** Records the sessions these events ended (a redelivered one changes nothing); returns how many were new. */
    async insert(records: Located<SessionEnded>[], transaction?: Transaction): Promise<number> {
      const rows = records.flatMap(({ event, partition, offset }) =>
        event.payload.sessionIds.map((sessionId) => ({
          session_id: sessionId,
          user_id: event.payload.userId,
          reason: event.payload.reason,
          ended_at: event.payload.endedAt,
          event_id: event.eventId,
          kafka_partition: partition,
          kafka_offset: offset,
        })),
      );
      if (rows.length === 0) return 0;
      const inserted = await sequelize.query<{ session_id: string }>(
        `INSERT INTO ended_sessions (session_id, user_id, reason, ended_at, event_id, kafka_partition, kafka_offset)
         SELECT * FROM json_to_recordset(:rows) AS r(session_id uuid, user_id uuid, reason text, ended_at timestamptz,
           event_id uuid, kafka_partition integer, kafka_offset bigint)
         ON CONFLICT (session_id) DO NOTHING
         RETURNING session_id`,
        { replacements: { rows: JSON.stringify(rows) }, type: QueryTypes.SELECT, transaction },
      );
      // Counted per event, as the consumers count records: an event is new when any of its sessions is.
      const fresh = new Set(inserted.map((row) => row.session_id));
      return records.filter(({ event }) => event.payload.sessionIds.some((id) => fresh.has(id))).length;
    },

    async hasEnded(sessionId: string): Promise<boolean> {
      const rows = await sequelize.query('SELECT 1 FROM ended_sessions WHERE session_id = :sessionId', { replacements: { sessionId }, type: QueryTypes.SELECT });
      return rows.length === 1;
    },
  };
}
