import type { NodeAction } from '../../console/cluster-control';
import type { FlowTick } from '../../console/flow-meter';
import type { DeadLetter } from '../../dead-letter/dead-letter-queue';
import { guarded } from '../../../http/to-graphql-error';
import type { MutationResolvers, QueryResolvers, SubscriptionResolvers } from '../generated/resolvers-types';

const asRecord = ({ at, origin, ...rest }: DeadLetter) => ({ ...at, originTopic: origin?.topic, originPartition: origin?.partition, originOffset: origin?.offset, ...rest });

/** The console's queries, mutations and subscription (docs/operations.md, "The console"). */
export const consoleSnapshot: QueryResolvers['consoleSnapshot'] = (_, __, context) => context.operatorConsole.snapshot();

export const failureSimulation: QueryResolvers['failureSimulation'] = (_, __, context) => context.operatorConsole.simulation();

export const deadLetters: QueryResolvers['deadLetters'] = (_, args, context) =>
  guarded(async () => {
    const page = await context.operatorConsole.deadLetters({ first: args.first, partition: args.partition ?? undefined, beforeOffset: args.beforeOffset ?? undefined });
    return { total: page.total, records: page.records.map(asRecord) };
  });

export const replayDeadLetters: MutationResolvers['replayDeadLetters'] = (_, args, context) =>
  guarded(async () => context.operatorConsole.replay({ records: args.records ?? undefined, range: args.range ?? undefined }));

export const brokerAction: MutationResolvers['brokerAction'] = (_, { nodeId, action }, context) =>
  guarded(async () => context.operatorConsole.brokerAction(nodeId, action.toLowerCase() as NodeAction));

export const pauseConsumerGroup: MutationResolvers['pauseConsumerGroup'] = (_, { groupId }, context) => guarded(async () => context.operatorConsole.setPaused(groupId, true));

export const resumeConsumerGroup: MutationResolvers['resumeConsumerGroup'] = (_, { groupId }, context) => guarded(async () => context.operatorConsole.setPaused(groupId, false));

export const publishPoisonRecord: MutationResolvers['publishPoisonRecord'] = (_, { topic }, context) => guarded(async () => context.operatorConsole.publishPoison(topic));

/** The ticks for as long as the subscriber stays, the flow tap reading the topics meanwhile. */
async function* watching<T>(ticks: AsyncIterable<T>, release: () => void): AsyncGenerator<T> {
  try {
    for await (const tick of ticks) yield tick;
  } finally {
    release();
  }
}

export const consoleFlow: SubscriptionResolvers['consoleFlow'] = {
  subscribe: (_, __, context) => watching(context.pubsub.subscribe('consoleFlow'), context.operatorConsole.watchFlow()),
  resolve: (tick: FlowTick) => tick,
};
