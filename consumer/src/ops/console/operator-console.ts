import { AppError, NotFoundError, RateLimitedError, ValidationError, type Logger } from '@herald/core';
import type { DeadLetter, DeadLetterPage, DeadLetterQueue, ReplayResult } from '../dead-letter/dead-letter-queue';
import type { ClusterControl, LocalNode, NodeAction } from './cluster-control';
import type { ClusterSampler, ConsoleSnapshot } from './cluster-sampler';
import type { FlowTap } from './flow-tap';

/** Failure simulation asked for where there is no local cluster control. */
export class SimulationUnavailableError extends AppError {
  constructor() {
    super('SIMULATION_UNAVAILABLE', 409, NO_CONTROL, false);
  }
}

const NO_CONTROL =
  'Failure simulation is off: this consumer was not handed a local cluster control (LOCAL_CLUSTER_CONTROL_URL), which `npm start` gives only when it started the Kafka cluster itself; it never acts on a broker it did not start';

/** Bounds of one request (docs/security.md): pages, replays and what may be asked at once. */
export const CONSOLE_LIMITS = { deadLettersPage: 100, replayRecords: 100, replayRange: 1000 } as const;

export interface PausableGroup {
  groupId: string;
  pause(): void;
  resume(): void;
  isPaused(): boolean;
}

export interface PoisonPublisher {
  topics: string[];
  publish(topic: string): Promise<{ topic: string; partition: number; offset: string }>;
}

/** One at a time per kind of work: a second caller is told to try again rather than queued. */
function oneAtATime(what: string) {
  let current: Promise<unknown> | undefined;
  let closed = false;
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    if (closed) throw new AppError('SHUTTING_DOWN', 503, 'The consumer is shutting down; try another task or again shortly', true);
    if (current) throw new RateLimitedError(`Another ${what} is under way; try again in a moment`, 1);
    const running = work();
    current = running;
    try {
      return await running;
    } finally {
      current = undefined;
    }
  };
  /** Refuses new work and waits for the one under way (it holds Kafka clients of its own). */
  const close = async () => {
    closed = true;
    await current?.catch(() => {});
  };
  return Object.assign(run, { close });
}

/**
 * What the console's GraphQL fields do, behind the operator check: the sampled cluster, the
 * dead-letter queue (bounded pages, bounded replays), and failure simulation through the local
 * cluster control only. Reads of Kafka and actions run one at a time per process.
 */
export function createOperatorConsole({
  sampler,
  flowTap,
  deadLetters,
  control,
  groups,
  poison,
  logger,
}: {
  sampler: ClusterSampler;
  flowTap: Pick<FlowTap, 'watch'>;
  deadLetters: DeadLetterQueue;
  control: ClusterControl | undefined;
  groups: PausableGroup[];
  poison: PoisonPublisher;
  logger: Logger;
}) {
  const readingDeadLetters = oneAtATime('read of the dead-letter queue');
  const replaying = oneAtATime('replay');
  const acting = oneAtATime('failure-simulation action');
  const requireControl = (): ClusterControl => {
    if (!control) throw new SimulationUnavailableError();
    return control;
  };
  const group = (groupId: string) => {
    const found = groups.find((candidate) => candidate.groupId === groupId);
    if (!found) throw new NotFoundError(`Not one of this consumer's groups that can be paused (${groups.map((g) => g.groupId).join(', ')})`);
    return found;
  };
  const afterAction = () => void sampler.sampleNow();

  return {
    /** At shutdown: no new reads, replays or actions, and the ones under way finished. */
    async close() {
      await Promise.all([readingDeadLetters.close(), replaying.close(), acting.close()]);
    },

    snapshot: (): ConsoleSnapshot => sampler.snapshot(),

    /** A console subscribed to the live flow: the tap reads the topics until the release. */
    watchFlow: (): (() => void) => flowTap.watch(),

    async simulation(): Promise<{ available: boolean; reason: string | null; nodes: LocalNode[]; groups: string[]; poisonTopics: string[] }> {
      if (!control) return { available: false, reason: NO_CONTROL, nodes: [], groups: [], poisonTopics: [] };
      try {
        return { available: true, reason: null, nodes: await control.nodes(), groups: groups.map((g) => g.groupId), poisonTopics: poison.topics };
      } catch (error) {
        return { available: false, reason: error instanceof AppError ? error.message : 'The local cluster control did not answer', nodes: [], groups: [], poisonTopics: [] };
      }
    },

    deadLetters({ first, partition, beforeOffset }: { first: number; partition?: number; beforeOffset?: string }): Promise<DeadLetterPage> {
      if (!Number.isInteger(first) || first < 1 || first > CONSOLE_LIMITS.deadLettersPage) throw new ValidationError(`first must be 1 to ${CONSOLE_LIMITS.deadLettersPage}`);
      if (partition !== undefined && (!Number.isInteger(partition) || partition < 0)) throw new ValidationError('partition must be a partition number (0 or more)');
      if (beforeOffset !== undefined && (!/^\d{1,19}$/.test(beforeOffset) || partition === undefined)) throw new ValidationError('beforeOffset must be an offset (digits), given with partition');
      return readingDeadLetters(() => deadLetters.page({ first, partition, beforeOffset }));
    },

    replay({ records, range }: { records?: Array<DeadLetter['at']>; range?: { partition: number; fromOffset: string; toOffset: string } }): Promise<ReplayResult> {
      if (Boolean(records) === Boolean(range)) throw new ValidationError('Give either records or range');
      const offset = (value: string, name: string) => {
        if (!/^\d{1,19}$/.test(value)) throw new ValidationError(`${name} must be an offset (digits)`);
        return BigInt(value);
      };
      let selection: Array<DeadLetter['at']>;
      if (records) {
        if (records.length < 1 || records.length > CONSOLE_LIMITS.replayRecords) throw new ValidationError(`records must hold 1 to ${CONSOLE_LIMITS.replayRecords} positions`);
        selection = records.map((at) => {
          if (!Number.isInteger(at.partition) || at.partition < 0) throw new ValidationError('partition must be a partition number (0 or more)');
          return { partition: at.partition, offset: offset(at.offset, 'offset').toString() };
        });
      } else {
        const { partition, fromOffset, toOffset } = range!;
        const from = offset(fromOffset, 'fromOffset');
        const to = offset(toOffset, 'toOffset');
        if (!Number.isInteger(partition) || partition < 0) throw new ValidationError('partition must be a partition number (0 or more)');
        if (to < from || to - from >= BigInt(CONSOLE_LIMITS.replayRange)) throw new ValidationError(`range must run forwards and hold at most ${CONSOLE_LIMITS.replayRange} offsets (fromOffset to toOffset, both included)`);
        selection = [];
        for (let at = from; at <= to; at += 1n) selection.push({ partition, offset: at.toString() });
      }
      return replaying(async () => {
        const result = await deadLetters.replay(selection);
        logger.info({ replayed: result.replayed.length, skipped: result.skipped.length }, 'dead letters replayed from the console');
        return result;
      });
    },

    brokerAction(nodeId: number, action: NodeAction): Promise<LocalNode> {
      const local = requireControl();
      return acting(async () => {
        logger.warn({ nodeId, action }, 'failure simulation: broker action from the console');
        const node = await local.act(nodeId, action);
        afterAction();
        return node;
      });
    },

    setPaused(groupId: string, paused: boolean): { groupId: string; paused: boolean } {
      requireControl();
      const chosen = group(groupId);
      logger.warn({ groupId, paused }, 'failure simulation: consumer group paused or resumed from the console');
      if (paused) chosen.pause();
      else chosen.resume();
      afterAction();
      return { groupId, paused: chosen.isPaused() };
    },

    publishPoison(topic: string) {
      requireControl();
      if (!poison.topics.includes(topic)) throw new ValidationError(`topic must be one of Herald's topics: ${poison.topics.join(', ')}`);
      return acting(async () => {
        logger.warn({ topic }, 'failure simulation: poison record published from the console');
        return poison.publish(topic);
      });
    },
  };
}

export type OperatorConsole = ReturnType<typeof createOperatorConsole>;
