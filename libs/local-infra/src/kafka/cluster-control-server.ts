import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeStateError, type KafkaCluster } from './kafka-cluster';

export interface ClusterControl {
  /** http://127.0.0.1:PORT; what the consumer gets as LOCAL_CLUSTER_CONTROL_URL. */
  url: string;
  /** The bearer token every call needs; LOCAL_CLUSTER_CONTROL_TOKEN. */
  token: string;
  close(): Promise<void>;
}

const ACTIONS = { stop: 'stopNode', kill: 'killNode', start: 'startNode' } as const;

const sameToken = (given: string, token: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * The local cluster's nodes, over HTTP on the loopback interface, for the console's failure
 * simulation: only the process that started the cluster runs this, so only a cluster it owns can
 * be stopped or killed, and only by a caller that was handed the token.
 *   GET  /nodes                      {"nodes":[{nodeId,address,pid,state}],"quorum":{leaderId,leaderEpoch}}
 *   POST /nodes/:id/stop|kill|start  {"node":{...}} once done; 404 unknown node, 409 wrong state
 */
export async function startClusterControl({ cluster, token = randomBytes(24).toString('base64url') }: { cluster: KafkaCluster; token?: string }): Promise<ClusterControl> {
  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  };
  const fail = (response: ServerResponse, status: number, code: string, message: string) => send(response, status, { error: { code, message } });
  const publicNode = ({ nodeId, address, pid, state }: ReturnType<KafkaCluster['nodes']>[number]) => ({ nodeId, address, pid, state });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const auth = request.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !sameToken(auth.slice('Bearer '.length), token)) return fail(response, 401, 'UNAUTHENTICATED', 'a valid bearer token is required');
    const path = new URL(request.url ?? '/', 'http://control').pathname;
    if (path === '/nodes') {
      if (request.method !== 'GET') return fail(response, 405, 'METHOD_NOT_ALLOWED', 'use GET on /nodes');
      return send(response, 200, { nodes: cluster.nodes().map(publicNode), quorum: cluster.quorumLeader() });
    }
    const match = /^\/nodes\/(\d{1,3})\/(stop|kill|start)$/.exec(path);
    if (!match) return fail(response, 404, 'NOT_FOUND', 'no such route; see GET /nodes and POST /nodes/:nodeId/stop|kill|start');
    if (request.method !== 'POST') return fail(response, 405, 'METHOD_NOT_ALLOWED', 'use POST for node actions');
    const nodeId = Number(match[1]);
    if (nodeId < 1 || nodeId > cluster.size) return fail(response, 404, 'UNKNOWN_NODE', `no such node; the nodes are 1 to ${cluster.size}`);
    try {
      const node = await cluster[ACTIONS[match[2] as keyof typeof ACTIONS]](nodeId);
      return send(response, 200, { node: publicNode(node) });
    } catch (error) {
      if (error instanceof NodeStateError) return fail(response, 409, 'WRONG_STATE', error.message);
      return fail(response, 500, 'ACTION_FAILED', `the node could not be changed: ${error instanceof Error ? error.message.split('\n')[0] : 'unknown error'}`);
    }
  };

  const server = createServer((request, response) => {
    request.resume(); // no route takes a body
    void handle(request, response);
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: () =>
      new Promise((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
