import { randomUUID } from 'node:crypto';
import type { SessionEnded } from '@herald/events';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { sessionEndedEvents } from './auth-events';

export type SessionEndReason = SessionEnded['payload']['reason'];

/** Which of a user's open sessions end: one (`only`), or all of them but `keep` (or all). */
export interface SessionsToEnd {
  userId: string;
  only?: string;
  keep?: string;
  reason: SessionEndReason;
  traceparent?: string;
}

export type Sessions = ReturnType<typeof createSessions>;

/**
 * A user's sessions: a login starts one, whose refresh tokens and access tokens (`sid`) carry its
 * id. Ending sessions revokes their refresh tokens and writes session-ended events in the same
 * transaction, so the consumer learns of every ending the producer makes, and of no other. The
 * session keeps why it ended (end_reason), so a rebuild publishes the same event again
 * (republish-ended-sessions.ts).
 */
export function createSessions({ sequelize, outbox, topic }: { sequelize: Sequelize; outbox: OutboxWriter; topic: string }) {
  return {
    /** Starts a session in the login's transaction; returns its id. */
    async start(userId: string, transaction: Transaction): Promise<string> {
      const id = randomUUID();
      await sequelize.query('INSERT INTO sessions (id, user_id) VALUES ($1, $2)', { bind: [id, userId], transaction });
      return id;
    },

    /** Whether a session is open: an access token of an ended (or unknown) session is refused. */
    async isOpen(sessionId: string): Promise<boolean> {
      const rows = await sequelize.query('SELECT 1 FROM sessions WHERE id = $1 AND ended_at IS NULL', { bind: [sessionId], type: QueryTypes.SELECT });
      return rows.length === 1;
    },

    /** Ends sessions (see SessionsToEnd) in the caller's transaction, or in one of its own; returns how many ended. */
    async end(request: SessionsToEnd, transaction?: Transaction): Promise<number> {
      if (!transaction) return sequelize.transaction((own) => this.end(request, own));
      const { userId, only, keep, reason, traceparent } = request;
      const ended = await sequelize.query<{ id: string; ended_at: Date }>(
        `WITH ended AS (
           UPDATE sessions SET ended_at = now(), end_reason = $4
            WHERE user_id = $1 AND ended_at IS NULL AND ($2::uuid IS NULL OR id = $2) AND ($3::uuid IS NULL OR id <> $3)
            RETURNING id, ended_at
         ), revoked AS (
           UPDATE refresh_tokens SET revoked_at = now() WHERE session_id IN (SELECT id FROM ended) AND revoked_at IS NULL
         )
         SELECT id, ended_at FROM ended`,
        { bind: [userId, only ?? null, keep ?? null, reason], type: QueryTypes.SELECT, transaction },
      );
      if (ended.length === 0) return 0;
      // One now() in one transaction: every row ended at the same instant.
      for (const event of sessionEndedEvents({ userId, sessionIds: ended.map((row) => row.id), reason, endedAt: new Date(ended[0]!.ended_at) })) {
        await outbox.add({ topic, key: userId, event, traceparent }, transaction);
      }
      return ended.length;
    },
  };
}
