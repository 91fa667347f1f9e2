import type { Logger } from '@herald/core';
import type { Pool } from 'pg';

/**
 * Deletes outbox rows that were published more than `retentionHours` ago, a bounded chunk at a
 * time, so the table stays small while recent rows remain for audits and replays. Unsent rows are
 * never touched.
 */
export function createOutboxPurger({ pool, retentionHours, intervalMs, logger }: { pool: Pool; retentionHours: number; intervalMs: number; logger: Logger }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const purge = async () => {
    try {
      const { rowCount } = await pool.query(
        `DELETE FROM outbox_events WHERE id IN (
           SELECT id FROM outbox_events WHERE sent_at < now() - make_interval(hours => $1) ORDER BY id LIMIT 10000)`,
        [retentionHours],
      );
      if (rowCount) logger.info({ deleted: rowCount, retentionHours }, 'purged published outbox rows');
    } catch (error) {
      logger.warn({ err: error }, 'outbox purge failed; trying again later');
    }
  };

  return {
    start() {
      timer = setInterval(() => {
        running ??= purge().finally(() => (running = undefined));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
