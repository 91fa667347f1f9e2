import { backoffMs, type Logger } from '@herald/core';
import type { Consumer, ConsumerRunConfig, Kafka } from 'kafkajs';
import type { ConsumerMetrics } from './consumer-metrics';

export interface Supervision {
  /** First wait before the service restarts a consumer that kafkajs stopped; doubles per restart. */
  restartBaseDelayMs: number;
  restartMaxDelayMs: number;
  /** Restarts in a row (each lasting less than STABLE_AFTER_MS) after which the task reports itself unhealthy. */
  maxRestarts: number;
}

/** How each consumer fetches (kafkajs' fetch options), from config. */
export interface FetchSettings {
  /**
   * How long the broker holds a fetch that finds nothing new. A record that arrives meanwhile
   * answers it at once (minBytes is 1), so this sets the idle fetch rate, not the latency; but
   * heartbeats go out between fetches, so it also delays noticing a rebalance.
   */
  maxWaitMs: number;
  /** Bytes per fetch answer, and per partition in it: what a consumer may buffer (KIP-74: one oversized batch still comes). */
  maxBytes: number;
  maxBytesPerPartition: number;
}

/** kafkajs' fetch settings before they were configurable; tests that build a consumer alone get these. */
export const DEFAULT_FETCH: FetchSettings = { maxWaitMs: 100, maxBytes: 10 * 1024 * 1024, maxBytesPerPartition: 1024 * 1024 };

/** A consumer that ran this long without crashing has recovered: its restart count starts again. */
const STABLE_AFTER_MS = 60_000;

export interface SupervisedConsumerOptions {
  kafka: Kafka;
  groupId: string;
  sessionTimeoutMs: number;
  fetch?: FetchSettings;
  topics: string[];
  fromBeginning: boolean;
  /** The run configuration, given the kafkajs consumer it runs on (for offset commits, pause and resume). */
  runConfig: (consumer: Consumer) => ConsumerRunConfig;
  supervision: Supervision;
  metrics: ConsumerMetrics;
  logger: Logger;
}

export interface SupervisedConsumer {
  groupId: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Currently a member of its group (for /ready). */
  isJoined(): boolean;
  /** False once restarts keep failing (for /health, so that ECS replaces the task). */
  isHealthy(): boolean;
  /** The kafkajs consumer now running, or undefined between a crash and its restart. */
  current(): Consumer | undefined;
  /** Stops fetching (the member stays in its group, so lag grows) until resume; kept across restarts. */
  pause(): void;
  resume(): void;
  isPaused(): boolean;
}

/**
 * One kafkajs consumer for one group, kept running. kafkajs restarts a consumer by itself after a
 * crash it calls retriable (a lost broker, a rebalance); after any other crash it stops for good,
 * and so would the projection. Here such a crash is followed by a fresh consumer after a backoff;
 * crashes are counted on /metrics, /ready is false until the group is joined again, and /health
 * fails after `maxRestarts` restarts in a row that did not last, since then only a new task helps.
 */
export function createSupervisedConsumer(options: SupervisedConsumerOptions): SupervisedConsumer {
  const { kafka, groupId, sessionTimeoutMs, fetch = DEFAULT_FETCH, topics, fromBeginning, runConfig, supervision, metrics, logger } = options;
  let consumer: Consumer | undefined;
  let joined = false;
  let stopped = true;
  let crashesInARow = 0;
  let restartAttempt = 0;
  let runningSince = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let paused = false;
  const all = () => topics.map((topic) => ({ topic }));

  const setJoined = (value: boolean) => {
    joined = value;
    metrics.joined.set({ group: groupId }, value ? 1 : 0);
  };

  function create(): Consumer {
    const instance = kafka.consumer({
      groupId,
      maxWaitTimeInMs: fetch.maxWaitMs,
      maxBytes: fetch.maxBytes,
      maxBytesPerPartition: fetch.maxBytesPerPartition,
      sessionTimeout: sessionTimeoutMs,
      // A member hears of a rebalance from its next heartbeat (or a request refused for it): with
      // coalesced offset commits, the heartbeat is usually what tells it, so it goes every second
      // (a third of kafkajs' default), which bounds a clean leave's pause near 1 s, not 3.
      heartbeatInterval: Math.max(500, Math.floor(sessionTimeoutMs / 30)),
      retry: { retries: 10 },
    });
    // Events of an earlier, crashed instance are no longer about this consumer.
    instance.on(instance.events.GROUP_JOIN, () => instance === consumer && setJoined(true));
    instance.on(instance.events.STOP, () => instance === consumer && setJoined(false));
    instance.on(instance.events.CRASH, ({ payload }) => instance === consumer && onCrash(payload.error, payload.restart));
    instance.on(instance.events.COMMIT_OFFSETS, () => metrics.offsetCommits.inc({ group: groupId }));
    return instance;
  }

  async function run(): Promise<void> {
    const instance = create();
    consumer = instance;
    runningSince = Date.now();
    await instance.connect();
    await instance.subscribe({ topics, fromBeginning });
    await instance.run(runConfig(instance));
    if (paused) instance.pause(all());
  }

  function onCrash(error: Error, restartedByKafkajs: boolean) {
    setJoined(false);
    metrics.crashes.inc({ group: groupId, restarted_by: restartedByKafkajs ? 'kafkajs' : 'service' });
    if (restartedByKafkajs || stopped) {
      logger.warn({ err: error, groupId }, 'consumer crashed; kafkajs restarts it');
      return;
    }
    crashesInARow = Date.now() - runningSince > STABLE_AFTER_MS ? 1 : crashesInARow + 1;
    restartAttempt = crashesInARow;
    scheduleRestart(error);
  }

  function scheduleRestart(cause: unknown) {
    if (restartTimer) return; // a crash while starting is also a failed start: one restart is enough
    const delay = backoffMs({ attempt: restartAttempt, baseMs: supervision.restartBaseDelayMs, maxMs: supervision.restartMaxDelayMs, jitter: 0.2 });
    logger.error({ err: cause, groupId, crashesInARow, restartInMs: delay }, 'consumer stopped by kafkajs; restarting it');
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      void restart();
    }, delay);
  }

  async function restart() {
    if (stopped) return;
    await consumer?.disconnect().catch(() => {});
    try {
      await run();
      logger.info({ groupId }, 'consumer restarted');
    } catch (error) {
      // Kafka may be away: keep trying, without counting it as a crash of the consumer.
      restartAttempt += 1;
      if (!stopped) scheduleRestart(error);
    }
  }

  return {
    groupId,
    async start() {
      stopped = false;
      setJoined(false);
      await run();
    },
    async stop() {
      stopped = true;
      clearTimeout(restartTimer);
      await consumer?.disconnect();
      setJoined(false);
    },
    isJoined: () => joined,
    isHealthy: () => crashesInARow <= supervision.maxRestarts,
    current: () => consumer,
    pause() {
      paused = true;
      consumer?.pause(all());
    },
    resume() {
      paused = false;
      consumer?.resume(all());
    },
    isPaused: () => paused,
  };
}
