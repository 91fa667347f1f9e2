import { uncommitted } from '@herald/kafka';
import type { Admin } from 'kafkajs';
import type { Client } from 'pg';

export interface ProjectionGroup {
  groupId: string;
  topic: string;
}

/**
 * What is still on its way to the read models: the producer's outbox rows not yet published, and
 * each projection group's records not yet committed (`group topic: n`). Both empty means every
 * event written so far is projected, which is when the read models can be compared.
 */
export async function projectionLag({ admin, source, groups }: { admin: Admin; source: Client; groups: ProjectionGroup[] }): Promise<{ unsent: number; behind: string[] }> {
  const unsent = Number((await source.query<{ n: string }>('SELECT count(*) AS n FROM outbox_events WHERE sent_at IS NULL')).rows[0]!.n);
  const behind: string[] = [];
  for (const { groupId, topic } of groups) {
    const lag = await uncommitted(admin, groupId, topic);
    if (lag > 0) behind.push(`${groupId} ${topic}: ${lag}`);
  }
  return { unsent, behind };
}
