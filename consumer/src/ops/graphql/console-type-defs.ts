/** The operator console's types in the operators' schema (docs/operations.md, "The console"); its fields are in ops-type-defs.ts. */
export const consoleTypeDefs = /* GraphQL */ `
  type ConsoleBroker {
    nodeId: Int!
    address: String!
    rack: String
    "In the cluster's metadata now and, with a local cluster control, its process not stopped (a killed broker stays in the metadata until it is fenced)."
    up: Boolean!
    "In the cluster's metadata now; a broker known before, or to the local control, and missing from it is gone from the cluster."
    listed: Boolean!
    "The controller the metadata names (in KRaft, a broker the cluster answers with; the quorum leader is not in the client protocol)."
    controller: Boolean!
    "The KRaft quorum leader (active controller), as the local cluster control tells it; false without one."
    quorumLeader: Boolean!
    "The local cluster control's word on the broker's process: running, stopped or starting; null without a control."
    localState: String
  }

  type ConsoleCluster {
    clusterId: String
    controllerId: Int
    "The KRaft quorum leader and its epoch, from the local cluster control; null without one (the client protocol cannot tell)."
    quorumLeaderId: Int
    quorumLeaderEpoch: Int
    brokers: [ConsoleBroker!]!
    underReplicatedPartitions: Int!
    offlinePartitions: Int!
  }

  type ConsolePartition {
    partition: Int!
    leader: Int!
    replicas: [Int!]!
    isr: [Int!]!
    offlineReplicas: [Int!]!
    endOffset: String
  }

  type ConsoleTopic {
    name: String!
    "From the broker's end offsets between the last two samples: true across every consumer task."
    messagesPerSecond: Float
    partitions: [ConsolePartition!]!
  }

  type ConsoleAssignment {
    topic: String!
    partitions: [Int!]!
  }

  type ConsoleMember {
    memberId: String!
    clientId: String!
    clientHost: String!
    assignments: [ConsoleAssignment!]!
  }

  type ConsoleGroupPartition {
    topic: String!
    partition: Int!
    committedOffset: String
    endOffset: String!
    lag: Int!
    "Lag at each of ConsoleSnapshot.sampleTimes; null where not sampled."
    lagHistory: [Int]!
  }

  type ConsoleGroup {
    groupId: String!
    state: String!
    "Paused on this task from the console (failure simulation)."
    paused: Boolean!
    members: [ConsoleMember!]!
    partitions: [ConsoleGroupPartition!]!
  }

  type ConsoleSnapshot {
    sampledAt: String
    "Milliseconds since the epoch of each kept sample, oldest first."
    sampleTimes: [Float!]!
    error: String
    cluster: ConsoleCluster!
    topics: [ConsoleTopic!]!
    groups: [ConsoleGroup!]!
  }

  type LocalNode {
    nodeId: Int!
    address: String!
    pid: Int
    state: String!
  }

  type FailureSimulation {
    available: Boolean!
    "Why not, when it is not available."
    reason: String
    nodes: [LocalNode!]!
    "The groups that can be paused (this consumer's projection groups)."
    groups: [String!]!
    "The topics a poison record can be published to."
    poisonTopics: [String!]!
  }

  type DeadLetterRecord {
    partition: Int!
    offset: String!
    key: String
    originTopic: String
    originPartition: Int
    originOffset: String
    attempt: String
    errorType: String
    error: String
    failedAt: String
    valueDropped: Boolean!
    valueBytes: Int!
  }

  type DeadLetterPage {
    total: Int!
    records: [DeadLetterRecord!]!
  }

  input DeadLetterPosition {
    partition: Int!
    offset: String!
  }

  "Offsets fromOffset to toOffset, both included, of one partition of the dead-letter queue (at most 1000)."
  input DeadLetterRange {
    partition: Int!
    fromOffset: String!
    toOffset: String!
  }

  type ReplayedRecord {
    partition: Int!
    offset: String!
    to: String!
  }

  type SkippedRecord {
    partition: Int!
    offset: String!
    reason: String!
  }

  type ReplayResult {
    replayed: [ReplayedRecord!]!
    skipped: [SkippedRecord!]!
  }

  enum BrokerAction {
    "SIGTERM: a clean shutdown."
    STOP
    "SIGKILL: kill -9."
    KILL
    START
  }

  type GroupPause {
    groupId: String!
    paused: Boolean!
  }

  type PoisonRecord {
    topic: String!
    partition: Int!
    offset: String!
  }

  type FlowEvent {
    topic: String!
    type: String
    key: String
    partition: Int!
    offset: String!
    at: String!
  }

  type FlowRate {
    topic: String!
    perSecond: Float!
  }

  type ConsoleFlow {
    at: String!
    rates: [FlowRate!]!
    "Records since the last tick, newest first (where they are and their type; never their value)."
    events: [FlowEvent!]!
  }
`;
