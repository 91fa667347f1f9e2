import { QueryTypes, type Sequelize } from 'sequelize';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { republishInBatches, type RepublishOptions } from '../outbox/republish-in-batches';
import { sessionEndedEvents, type SessionEnding } from './auth-events';

interface EndedSessionRow {
  id: string;
  user_id: string;
  end_reason: SessionEnding['reason'];
  ended_at: Date;
}

/** Clocks of the producer's database and of the services verifying tokens may disagree a little. */
const CLOCK_MARGIN_SECONDS = 60;

/**
 * Writes a session-ended into the outbox for every session that ended within an access token's
 * lifetime (plus a margin for clocks), keyed by its user as the live write is: its access tokens
 * were all issued before it ended, so none of an older ending is still alive, and the consumer's
 * list of ended sessions exists only to refuse live ones. Sessions of one user that ended together
 * for one reason share an event, as they did when they ended.
 */
export function createEndedSessionRepublisher({
  sequelize,
  outbox,
  topics,
  accessTokenTtlSeconds,
}: {
  sequelize: Sequelize;
  outbox: OutboxWriter;
  topics: { sessionEnded: string };
  accessTokenTtlSeconds: number;
}) {
  return (options: RepublishOptions = {}): Promise<number> =>
    republishInBatches<EndedSessionRow>({
      ...options,
      sequelize,
      outbox,
      // Sessions ended before migration 0006 have no end_reason: their tokens expired within minutes of the upgrade.
      page: (after, limit) =>
        sequelize.query<EndedSessionRow>(
          `SELECT id, user_id, end_reason, ended_at FROM sessions
            WHERE ended_at > now() - make_interval(secs => $window) AND end_reason IS NOT NULL
              AND ($user::uuid IS NULL OR (user_id, id) > ($user::uuid, $id::uuid))
            ORDER BY user_id, id LIMIT $limit`,
          { bind: { window: accessTokenTtlSeconds + CLOCK_MARGIN_SECONDS, user: after?.user_id ?? null, id: after?.id ?? null, limit }, type: QueryTypes.SELECT },
        ),
      entries: (rows) => {
        const endings = new Map<string, SessionEnding>();
        for (const row of rows) {
          const key = `${row.user_id}|${row.end_reason}|${row.ended_at.toISOString()}`;
          const ending = endings.get(key) ?? { userId: row.user_id, sessionIds: [], reason: row.end_reason, endedAt: row.ended_at };
          ending.sessionIds.push(row.id);
          endings.set(key, ending);
        }
        return [...endings.values()].flatMap((ending) => sessionEndedEvents(ending).map((event) => ({ topic: topics.sessionEnded, key: ending.userId, event })));
      },
    });
}
