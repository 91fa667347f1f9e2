/**
 * The operators' schema on /ops/graphql, apart from the public one (docs/operations.md, access in
 * docs/security.md): every operation needs the operator token, checked once for all of them
 * (use-operator-only.ts). With console-type-defs.ts and IssuedToken (../type-defs.ts).
 */
export const opsTypeDefs = /* GraphQL */ `
  type PartitionStatus {
    topic: String!
    partition: Int!
    committedOffset: String
    endOffset: String!
    lag: Int!
  }

  type ConsumerGroup {
    groupId: String!
    state: String!
    members: Int!
    partitions: [PartitionStatus!]!
  }

  type ProducerStatus {
    url: String!
    ok: Boolean!
    roundTripMs: Float
    answer: String
    error: String
  }

  type Query {
    "Committed offset, end offset and lag per partition, for each of this consumer's groups."
    consumerGroups: [ConsumerGroup!]!
    "Whether the producer answers at the URL this consumer was given, and how fast."
    producerStatus: ProducerStatus!
    "The last sample of the cluster, topics and groups."
    consoleSnapshot: ConsoleSnapshot!
    "Whether failure simulation is possible here, and the local nodes."
    failureSimulation: FailureSimulation!
    "The newest records of the dead-letter queue (first at most 100)."
    deadLetters(first: Int = 50, partition: Int, beforeOffset: String): DeadLetterPage!
  }

  type Mutation {
    "Send dead letters back to their original topic (records, at most 100, or a range)."
    replayDeadLetters(records: [DeadLetterPosition!], range: DeadLetterRange): ReplayResult!
    "With a local cluster control: stop, kill -9 or start a broker of the local cluster."
    brokerAction(nodeId: Int!, action: BrokerAction!): LocalNode!
    "With a local cluster control: pause or resume one of this consumer's groups on this task."
    pauseConsumerGroup(groupId: String!): GroupPause!
    resumeConsumerGroup(groupId: String!): GroupPause!
    "With a local cluster control: a record that can never be projected, to watch it dead-lettered."
    publishPoisonRecord(topic: String!): PoisonRecord!
  }

  type Subscription {
    "Once a second, events per second per topic and the latest records."
    consoleFlow: ConsoleFlow!
    "Every user's tokens as they are issued, for monitoring (the same events are on the issued-token topic)."
    tokenIssued: IssuedToken!
  }
`;
