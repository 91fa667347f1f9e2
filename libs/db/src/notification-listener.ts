import type { Logger } from '@herald/core';
import { Client, type ClientConfig } from 'pg';

export interface NotificationListener {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Holds one PostgreSQL connection in LISTEN on `channel` and calls `onNotify` with each
 * notification's payload; NOTIFY is delivered when the sending transaction commits, never for a
 * rollback. If the connection drops it is re-made with backoff; `onConnect` runs after each
 * (re)connection, for what may have been committed while nobody listened.
 */
export function createNotificationListener({
  connection,
  channel,
  onNotify,
  onConnect,
  logger,
  maxBackoffMs = 5000,
}: {
  connection: ClientConfig;
  /** A plain identifier (it is written into LISTEN as it is). */
  channel: string;
  onNotify: (payload: string | undefined) => void;
  onConnect?: () => void;
  logger: Logger;
  maxBackoffMs?: number;
}): NotificationListener {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new TypeError('the channel must be a plain lower-case identifier');
  let client: Client | undefined;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  const connect = async (): Promise<void> => {
    if (stopped) return;
    const next = new Client(connection);
    next.on('notification', (notification) => onNotify(notification.payload));
    next.on('error', (error) => {
      logger.warn({ err: error, channel }, 'listening connection failed; reconnecting');
      void next.end().catch(() => {});
      scheduleReconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      client = next;
      failures = 0;
      onConnect?.();
    } catch (error) {
      logger.warn({ err: error, channel }, 'listening connection could not connect; retrying');
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
