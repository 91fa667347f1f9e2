import { AppError, ConflictError, NotFoundError } from '@herald/core';
import { z } from 'zod';

/** One broker process of the local cluster, as the process that started it sees it. */
export interface LocalNode {
  nodeId: number;
  address: string;
  pid: number | null;
  state: 'running' | 'stopped' | 'starting';
}

export type NodeAction = 'stop' | 'kill' | 'start';

/** The local cluster control answered something other than what the contract says, or not at all. */
export class ClusterControlError extends AppError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CLUSTER_CONTROL_FAILED', 502, message, true, options);
  }
}

const node = z.object({
  nodeId: z.number().int(),
  address: z.string(),
  pid: z.number().int().nullable().optional().transform((pid) => pid ?? null),
  state: z.enum(['running', 'stopped', 'starting']),
});
/** The KRaft quorum leader (active controller), which the client protocol cannot tell; optional in the contract. */
const quorum = z.object({ leaderId: z.number().int().nullable(), leaderEpoch: z.number().int() });
const nodesAnswer = z.object({ nodes: z.array(node), quorum: quorum.nullable().optional().transform((value) => value ?? null) });

export type QuorumLeader = z.output<typeof quorum>;
const nodeAnswer = z.object({ node });

/**
 * The client of the local cluster control: the HTTP server that `npm start` runs beside the Kafka
 * cluster it started, and hands to the consumer (LOCAL_CLUSTER_CONTROL_URL and _TOKEN). The
 * console's failure simulation goes through it, so it can only ever stop a broker that this
 * machine's own start-up launched. Contract: docs/operations.md, "Failure simulation".
 */
export function createClusterControl({ url, token, timeoutMs = 120_000 }: { url: string; token: string; timeoutMs?: number }) {
  async function call<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, what: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ClusterControlError(`The local cluster control did not answer ${what}`, { cause: error });
    }
    if (response.status === 404) throw new NotFoundError('No such broker in the local cluster');
    if (response.status === 409) throw new ConflictError('The broker is not in a state that allows this (stop a running broker, start a stopped one)');
    if (response.status === 401) throw new ClusterControlError('The local cluster control refused this consumer\'s token (was the cluster restarted?)');
    if (!response.ok) throw new ClusterControlError(`The local cluster control answered ${response.status} ${what}`);
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new ClusterControlError(`The local cluster control's answer ${what} is not what its contract says`);
    return parsed.data;
  }

  /** The nodes, and the quorum leader when the control knows it. */
  const status = (): Promise<{ nodes: LocalNode[]; quorum: QuorumLeader | null }> => call('GET', '/nodes', nodesAnswer, 'to GET /nodes');

  return {
    status,
    async nodes(): Promise<LocalNode[]> {
      return (await status()).nodes;
    },
    async act(nodeId: number, action: NodeAction): Promise<LocalNode> {
      return (await call('POST', `/nodes/${nodeId}/${action}`, nodeAnswer, `to ${action} node ${nodeId}`)).node;
    },
  };
}

export type ClusterControl = ReturnType<typeof createClusterControl>;
