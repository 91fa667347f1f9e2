import type { Client } from 'pg';
import { diffRows, type Difference } from './differences';

interface CountRow {
  user_id: string;
  n: string;
}

const counts = async (client: Client, table: string) =>
  new Map((await client.query<CountRow>(`SELECT user_id, count(*) AS n FROM ${table} GROUP BY user_id`)).rows.map((row) => [row.user_id, Number(row.n)]));

/**
 * Issued tokens, per user, by count: the producer keeps one refresh_tokens row per login or
 * refresh, the same moments an issued-token event is written, but not the access token's `jti`
 * that the event carries (it never stores access tokens), so the tokens themselves cannot be
 * matched one by one. A token of a user the producer no longer has (deleted) is one too many.
 */
export async function compareTokens(source: Client, readModels: Client): Promise<Difference[]> {
  return diffRows({
    what: 'issued tokens of user',
    expected: await counts(source, 'refresh_tokens'),
    actual: await counts(readModels, 'issued_tokens'),
    fields: [{ name: 'count', value: (count) => count }],
  });
}
