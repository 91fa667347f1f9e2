import type { Logger } from '@herald/core';
import { Client, type ClientConfig } from 'pg';

export const OUTBOX_CHANNEL = 'herald_outbox';

export interface OutboxListener {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Holds one PostgreSQL connection in LISTEN on the outbox channel and calls `onNotify` when an
 * outbox insert commits. If the connection drops it is re-made with backoff; meanwhile the relay
 * falls back to polling, so a lost connection delays events but never loses them.
 */
export function createOutboxListener({
  connection,
  onNotify,
  logger,
  maxBackoffMs = 5000,
}: {
  connection: ClientConfig;
  onNotify: () => void;
  logger: Logger;
  maxBackoffMs?: number;
}): OutboxListener {
  let client: Client | undefined;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  const connect = async (): Promise<void> => {
    if (stopped) return;
    const next = new Client(connection);
    next.on('notification', () => onNotify());
    next.on('error', (error) => {
      logger.warn({ err: error }, 'outbox listener connection failed; reconnecting');
      void next.end().catch(() => {});
      scheduleReconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${OUTBOX_CHANNEL}`);
      client = next;
      failures = 0;
      // Rows may have been committed while we were not listening.
      onNotify();
    } catch (error) {
      logger.warn({ err: error }, 'outbox listener could not connect; relay polls meanwhile');
      void next.end().catch(() => {});
      scheduleReconnect();
    }
  };

  const scheduleReconnect = () => {
    client = undefined;
    if (stopped || retryTimer) return;
    failures += 1;
    retryTimer = setTimeout(
      () => {
        retryTimer = undefined;
        void connect();
      },
      Math.min(maxBackoffMs, 100 * 2 ** failures),
    );
  };

  return {
    start: connect,
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      await client?.end().catch(() => {});
    },
  };
}
