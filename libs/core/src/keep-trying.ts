import { backoffMs } from './backoff';
import type { Logger } from './logger';

export interface KeepTrying {
  /** Starts the attempts in the background; resolves at once. */
  start(): void;
  /** Whether an attempt has succeeded. */
  isStarted(): boolean;
  /** Stops trying (waits for a running attempt). */
  stop(): Promise<void>;
}

/**
 * Runs `attempt` until it succeeds, undoing a failed attempt with `reset` and waiting with
 * exponential backoff in between. For start-up steps that depend on another system (the broker):
 * the service comes up and serves what it can, and `/ready` tells when the rest is there.
 */
export function keepTrying({
  what,
  attempt,
  reset,
  logger,
  maxBackoffMs = 5000,
}: {
  what: string;
  attempt: () => Promise<void>;
  reset: () => Promise<void>;
  logger: Logger;
  maxBackoffMs?: number;
}): KeepTrying {
  let started = false;
  let stopped = false;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  const run = async () => {
    for (let failures = 0; !stopped; failures += 1) {
      try {
        await attempt();
        started = true;
        return;
      } catch (error) {
        await reset().catch(() => {});
        if (stopped) return;
        const backoff = backoffMs({ attempt: failures + 1, baseMs: 200, maxMs: maxBackoffMs });
        logger.warn({ err: error, retryInMs: backoff }, `${what} failed; trying again`);
        await new Promise<void>((resolveWait) => {
          const timer = setTimeout(resolveWait, backoff);
          wake = () => {
            clearTimeout(timer);
            resolveWait();
          };
        });
      }
    }
  };

  return {
    start() {
      loop ??= run();
    },
    isStarted: () => started,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
