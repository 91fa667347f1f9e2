import type { ProducerSchemas } from '../../../producer/producer-http-client';
import type { GraphQLContext } from '../context';
import { guarded } from '../../../http/to-graphql-error';
import { OWN_USER, type ResolvedUser } from './user-email';

// The mutations pass the client's input to the producer's REST API, which validates it and owns
// the write; its answers (and refusals, with their codes) come back as they are. The client's
// address goes along, so the producer's limits count each client, not the consumer.

/** `signUp(input)`. */
export const signUp = (_: unknown, { input }: { input: ProducerSchemas['SignUp'] }, { producerHttp, clientIp }: GraphQLContext): Promise<ResolvedUser> =>
  guarded(async () => ({ ...(await producerHttp.signUp(input, { clientIp })), [OWN_USER]: true as const }));

/** `login(username, password)`. */
export const login = (_: unknown, args: { username: string; password: string }, { producerHttp, clientIp }: GraphQLContext) =>
  guarded(() => producerHttp.login(args, { clientIp }));

/** `refreshToken(refreshToken)`. */
export const refreshToken = (_: unknown, args: { refreshToken: string }, { producerHttp, clientIp }: GraphQLContext) =>
  guarded(() => producerHttp.refresh(args, { clientIp }));
