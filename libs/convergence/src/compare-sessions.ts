import type { Client } from 'pg';
import { byKey, type Difference } from './differences';

interface SessionRow {
  id: string;
  user_id: string;
  ended: boolean;
}

/**
 * Ended sessions: every session the producer ended is known to the read models (or its access
 * tokens would still be accepted by the read API), for the same user; and no session the producer
 * still has open is (its tokens would be refused). A deleted user's sessions are gone from the
 * producer, and the read models keep their ends on purpose: those are not differences.
 */
export async function compareSessions(source: Client, readModels: Client): Promise<Difference[]> {
  const sessions = byKey((await source.query<SessionRow>('SELECT id, user_id, ended_at IS NOT NULL AS ended FROM sessions')).rows, (row) => row.id);
  const ended = byKey((await readModels.query<{ session_id: string; user_id: string }>('SELECT session_id, user_id FROM ended_sessions')).rows, (row) => row.session_id);
  const users = new Set((await source.query<{ id: string }>('SELECT id FROM users')).rows.map((row) => row.id));
  const differences: Difference[] = [];
  for (const session of sessions.values()) {
    const known = ended.get(session.id);
    if (session.ended && !known) differences.push(`session ${session.id}: ended in the producer's database, not in the read models' ended_sessions`);
    else if (!session.ended && known) differences.push(`session ${session.id}: open in the producer's database, yet ended in the read models`);
    else if (known && known.user_id !== session.user_id) differences.push(`session ${session.id}: ended for another user in the read models (user_id ${known.user_id}, producer ${session.user_id})`);
  }
  for (const known of ended.values()) {
    if (!sessions.has(known.session_id) && users.has(known.user_id)) differences.push(`session ${known.session_id}: ended in the read models, unknown to the producer's database though its user exists`);
  }
  return differences;
}
