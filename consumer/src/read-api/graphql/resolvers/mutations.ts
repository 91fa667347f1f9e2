import type { MutationResolvers } from '../generated/resolvers-types';
import { guarded } from '../../../http/to-graphql-error';
import { OWN_USER } from './user-email';

// The mutations pass the client's input to the producer's REST API, which validates it and owns
// the write; its answers (and refusals, with their codes) come back as they are. The client's
// address goes along, so the producer's limits count each client, not the consumer.

/** `signUp(input)`. */
export const signUp: MutationResolvers['signUp'] = (_, { input }, { producerHttp, clientIp }) =>
  guarded(async () => ({ ...(await producerHttp.signUp(input, { clientIp })), [OWN_USER]: true as const }));

/** `login(username, password)`. */
export const login: MutationResolvers['login'] = (_, args, { producerHttp, clientIp }) => guarded(() => producerHttp.login(args, { clientIp }));

/** `refreshToken(refreshToken)`. */
export const refreshToken: MutationResolvers['refreshToken'] = (_, args, { producerHttp, clientIp }) => guarded(() => producerHttp.refresh(args, { clientIp }));
