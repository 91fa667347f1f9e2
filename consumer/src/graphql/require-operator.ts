import { OPERATOR_REFUSALS, OPERATOR_TOKEN_HEADER } from '@herald/http';
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from './context';

/**
 * Operational fields (consumer groups, producer status) are for operators: their token in
 * `x-operator-token` (or as the bearer token when no user token is sent). Else UNAUTHENTICATED
 * or FORBIDDEN, saying what is missing.
 */
export function requireOperator({ request, checkOperator }: Pick<GraphQLContext, 'request' | 'checkOperator'>): void {
  const verdict = checkOperator({ authorization: request.headers.get('authorization'), operatorToken: request.headers.get(OPERATOR_TOKEN_HEADER) });
  if (verdict === 'ok') return;
  const { code, message } = OPERATOR_REFUSALS[verdict];
  throw new GraphQLError(message, { extensions: { code } });
}

/** Whether the request carries the operator token (for fields operators see more of). */
export function isOperator({ request, checkOperator }: Pick<GraphQLContext, 'request' | 'checkOperator'>): boolean {
  return checkOperator({ authorization: request.headers.get('authorization'), operatorToken: request.headers.get(OPERATOR_TOKEN_HEADER) }) === 'ok';
}
