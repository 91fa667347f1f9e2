import type { OperatorConsole } from '../console/operator-console';
import type { GroupStatus } from '@herald/kafka';
import type { ProducerStatusView } from '../producer-status';
import type { HeraldPubSub } from '../../http/pubsub';

/** What the operators' resolvers get, built once in main.ts. */
export interface OpsServices {
  /** The producer's status, shared by the requests of a short while (see producer-status.ts). */
  producerStatus: () => Promise<ProducerStatusView>;
  groupStatus: () => Promise<GroupStatus[]>;
  /** consoleFlow's ticks and every user's tokenIssued. */
  pubsub: HeraldPubSub;
  /** The operator console's data and actions (console/operator-console.ts). */
  operatorConsole: OperatorConsole;
}

/** What one operation adds; it only runs once the operator token is checked (use-operator-only.ts). */
export interface OpsContext extends OpsServices {
  /** producerStatus once per request, however many times (aliases) the query asks. */
  producerStatusOnce: () => Promise<ProducerStatusView>;
}
