import type { Sequelize } from 'sequelize';
import type { OutboxEntry, OutboxWriter } from './outbox-writer';

/** How one rebuild run goes: rows per transaction, and a call after each batch with the rows so far. */
export interface RepublishOptions {
  batchSize?: number;
  onBatch?: (total: number) => void;
}

/**
 * Walks a table by its key a page at a time (keyset pagination: each page starts after the last
 * row of the one before, so a large table costs no OFFSET scan) and writes the outbox entries of
 * each page in one transaction, for the relay to publish. A run that stops half-way leaves whole
 * batches behind, which a second run publishes again and the consumers ignore (idempotent).
 * Returns how many rows were read.
 */
export async function republishInBatches<Row>({
  sequelize,
  outbox,
  page,
  entries,
  batchSize = 500,
  onBatch,
}: RepublishOptions & {
  sequelize: Sequelize;
  outbox: OutboxWriter;
  /** The rows after `after` (from the start when undefined), in key order, at most `limit`. */
  page: (after: Row | undefined, limit: number) => Promise<Row[]>;
  /** The entries of a page's rows: the events their live write paths would publish now. */
  entries: (rows: Row[]) => OutboxEntry[];
}): Promise<number> {
  let total = 0;
  for (let after: Row | undefined; ; ) {
    const rows = await page(after, batchSize);
    if (rows.length === 0) return total;
    await sequelize.transaction(async (transaction) => {
      for (const entry of entries(rows)) await outbox.add(entry, transaction);
    });
    total += rows.length;
    onBatch?.(total);
    after = rows.at(-1);
  }
}
