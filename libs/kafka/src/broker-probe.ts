import type { Logger } from '@herald/core';
import type { Admin } from 'kafkajs';

export interface BrokerProbe {
  start(): void;
  stop(): void;
  /** Whether the brokers answered the last question, and the one in flight is not overdue. */
  isReachable(): boolean;
}

/**
 * Asks the brokers for cluster metadata every `intervalMs`, in the background, for `/ready`. A
 * broker that is down refuses connections and kafkajs says so at once; one that hangs (a frozen
 * process, a network partition) keeps its connections open and answers nothing, and the clients'
 * own "connected" flags stay true until their request timeout (30 s) and retries run out. So a
 * question unanswered after `timeoutMs` counts as unreachable. One question at a time: a hung one
 * is not joined by more.
 */
export function createBrokerProbe({ admin, logger, intervalMs = 2000, timeoutMs = 3000 }: { admin: Admin; logger: Logger; intervalMs?: number; timeoutMs?: number }): BrokerProbe {
  let answered = false;
  let askedAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function ask() {
    if (askedAt !== undefined) return;
    askedAt = Date.now();
    try {
      await admin.connect();
      await admin.describeCluster();
      if (!answered) logger.info('Kafka answers');
      answered = true;
    } catch (error) {
      if (answered) logger.warn({ err: error }, 'Kafka does not answer');
      answered = false;
    } finally {
      askedAt = undefined;
    }
  }

  return {
    start() {
      if (timer) return;
      void ask();
      timer = setInterval(() => void ask(), intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
    isReachable: () => answered && (askedAt === undefined || Date.now() - askedAt <= timeoutMs),
  };
}
