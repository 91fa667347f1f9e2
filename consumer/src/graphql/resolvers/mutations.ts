import type { GraphQLContext } from '../context';
import { guarded } from '../to-graphql-error';

// The mutations pass the client's input to the producer's REST API, which validates it and owns
// the write; its answers (and refusals, with their codes) come back as they are.

/** `signUp(input)`. */
export const signUp = (_: unknown, { input }: { input: Record<string, unknown> }, { producer }: GraphQLContext) =>
  guarded(() => producer.signUp(input));

/** `login(username, password)`. */
export const login = (_: unknown, args: { username: string; password: string }, { producer }: GraphQLContext) =>
  guarded(() => producer.login(args));

/** `refreshToken(refreshToken)`. */
export const refreshToken = (_: unknown, args: { refreshToken: string }, { producer }: GraphQLContext) =>
  guarded(() => producer.refresh(args));
