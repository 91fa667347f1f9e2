// The console's only way to the data: the operators' GraphQL endpoint on this origin, with the
// operator token as a header (fetch) and as connectionParams (graphql-ws). The token lives in this
// tab's sessionStorage only.
import { createClient } from 'graphql-ws';

const ENDPOINT = '/ops/graphql';

const KEY = 'herald.operatorToken';

export const storedToken = () => sessionStorage.getItem(KEY) ?? '';
export const storeToken = (token) => (token ? sessionStorage.setItem(KEY, token) : sessionStorage.removeItem(KEY));

/** An error the API answered, with its extensions.code (UNAUTHENTICATED, FORBIDDEN, ...). */
export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

export async function gql(token, query, variables = {}) {
  const response = await fetch(ENDPOINT, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-operator-token': token },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json().catch(() => ({}));
  if (body.errors?.length) throw new ApiError(body.errors[0].message, body.errors[0].extensions?.code);
  if (!response.ok) throw new ApiError(`HTTP ${response.status}`, 'HTTP');
  return body.data;
}

/** One graphql-ws subscription; returns a function that ends it. */
export function subscribe(token, query, { next, error }) {
  const client = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${ENDPOINT}`,
    connectionParams: { 'x-operator-token': token },
    retryAttempts: Infinity,
    shouldRetry: () => true,
  });
  const stop = client.subscribe({ query }, { next: ({ data, errors }) => (errors?.length ? error(new ApiError(errors[0].message, errors[0].extensions?.code)) : next(data)), error: (cause) => error(cause instanceof Error ? cause : new ApiError('The live connection failed', 'WS')), complete: () => {} });
  return () => {
    stop();
    void client.dispose();
  };
}

export const SNAPSHOT = `{
  consoleSnapshot {
    sampledAt sampleTimes error
    cluster { clusterId controllerId quorumLeaderId quorumLeaderEpoch underReplicatedPartitions offlinePartitions brokers { nodeId address rack up listed controller quorumLeader localState } }
    topics { name messagesPerSecond partitions { partition leader replicas isr offlineReplicas endOffset } }
    groups { groupId state paused members { memberId clientId clientHost assignments { topic partitions } } partitions { topic partition committedOffset endOffset lag lagHistory } }
  }
}`;

export const SIMULATION = '{ failureSimulation { available reason nodes { nodeId address pid state } groups poisonTopics } }';

export const DEAD_LETTERS = `query($first: Int, $partition: Int, $beforeOffset: String) {
  deadLetters(first: $first, partition: $partition, beforeOffset: $beforeOffset) {
    total
    records { partition offset key originTopic originPartition originOffset attempt errorType error failedAt valueDropped valueBytes }
  }
}`;

export const REPLAY = `mutation($records: [DeadLetterPosition!], $range: DeadLetterRange) {
  replayDeadLetters(records: $records, range: $range) { replayed { partition offset to } skipped { partition offset reason } }
}`;

export const BROKER_ACTION = 'mutation($nodeId: Int!, $action: BrokerAction!) { brokerAction(nodeId: $nodeId, action: $action) { nodeId state } }';
export const PAUSE = 'mutation($groupId: String!) { pauseConsumerGroup(groupId: $groupId) { groupId paused } }';
export const RESUME = 'mutation($groupId: String!) { resumeConsumerGroup(groupId: $groupId) { groupId paused } }';
export const POISON = 'mutation($topic: String!) { publishPoisonRecord(topic: $topic) { topic partition offset } }';
export const FLOW = 'subscription { consoleFlow { at rates { topic perSecond } events { topic type key partition offset at } } }';
