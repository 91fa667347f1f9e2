import type { Resolvers } from '../generated/resolvers-types';
import { brokerAction, consoleFlow, consoleSnapshot, deadLetters, failureSimulation, pauseConsumerGroup, publishPoisonRecord, replayDeadLetters, resumeConsumerGroup } from './console';
import { consumerGroups } from './query-consumer-groups';
import { producerStatus } from './query-producer-status';
import { tokenIssued } from './token-issued';

/** The operators' resolvers (schema.graphql, typed by generated/resolvers-types.ts); none checks the operator token, the endpoint does. */
export const opsResolvers: Resolvers = {
  Query: { consumerGroups, producerStatus, consoleSnapshot, failureSimulation, deadLetters },
  Mutation: { replayDeadLetters, brokerAction, pauseConsumerGroup, resumeConsumerGroup, publishPoisonRecord },
  Subscription: { consoleFlow, tokenIssued },
};
