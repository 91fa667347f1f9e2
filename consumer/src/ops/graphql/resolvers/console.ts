import type { NodeAction } from '../../console/cluster-control';
import type { DeadLetter } from '../../dead-letter/dead-letter-queue';
import { guarded } from '../../../http/to-graphql-error';
import type { OpsContext } from '../ops-context';

type Resolver<Args = Record<string, never>> = (_: unknown, args: Args, context: OpsContext) => unknown;

const asRecord = ({ at, origin, ...rest }: DeadLetter) => ({ ...at, originTopic: origin?.topic, originPartition: origin?.partition, originOffset: origin?.offset, ...rest });

/** The console's queries, mutations and subscription (docs/operations.md, "The console"). */
export const consoleSnapshot: Resolver = (_, __, context) => context.operatorConsole.snapshot();

export const failureSimulation: Resolver = (_, __, context) => context.operatorConsole.simulation();

export const deadLetters: Resolver<{ first: number; partition?: number | null; beforeOffset?: string | null }> = (_, args, context) =>
  guarded(async () => {
    const page = await context.operatorConsole.deadLetters({ first: args.first, partition: args.partition ?? undefined, beforeOffset: args.beforeOffset ?? undefined });
    return { total: page.total, records: page.records.map(asRecord) };
  });

export const replayDeadLetters: Resolver<{ records?: Array<DeadLetter['at']> | null; range?: { partition: number; fromOffset: string; toOffset: string } | null }> = (_, args, context) =>
  guarded(async () => context.operatorConsole.replay({ records: args.records ?? undefined, range: args.range ?? undefined }));

export const brokerAction: Resolver<{ nodeId: number; action: 'STOP' | 'KILL' | 'START' }> = (_, { nodeId, action }, context) =>
  guarded(async () => context.operatorConsole.brokerAction(nodeId, action.toLowerCase() as NodeAction));

export const pauseConsumerGroup: Resolver<{ groupId: string }> = (_, { groupId }, context) =>
  guarded(async () => context.operatorConsole.setPaused(groupId, true));

export const resumeConsumerGroup: Resolver<{ groupId: string }> = (_, { groupId }, context) =>
  guarded(async () => context.operatorConsole.setPaused(groupId, false));

export const publishPoisonRecord: Resolver<{ topic: string }> = (_, { topic }, context) =>
  guarded(async () => context.operatorConsole.publishPoison(topic));

/** The ticks for as long as the subscriber stays, the flow tap reading the topics meanwhile. */
async function* watching<T>(ticks: AsyncIterable<T>, release: () => void): AsyncGenerator<T> {
  try {
    for await (const tick of ticks) yield tick;
  } finally {
    release();
  }
}

export const consoleFlow = {
  subscribe: (_: unknown, __: unknown, context: OpsContext) => watching(context.pubsub.subscribe('consoleFlow'), context.operatorConsole.watchFlow()),
  resolve: (tick: unknown) => tick,
};
