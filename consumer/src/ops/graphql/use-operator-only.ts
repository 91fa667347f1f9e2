import { OPERATOR_REFUSALS, OPERATOR_TOKEN_HEADER, type OperatorCheck } from '@herald/http';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Every operation on the operators' endpoint needs the operator token: `x-operator-token` or
 * `Authorization: Bearer` (as HTTP headers, or as graphql-ws connectionParams, which
 * graphql-ws-server.ts turns into the request's headers). Checked when the operation is parsed,
 * the first step HTTP and graphql-ws both take, so without the token no resolver runs and nothing
 * of the schema is told (no validation error, no suggestion). UNAUTHENTICATED (401) or FORBIDDEN
 * (403), with the words /metrics uses.
 */
export function useOperatorOnly(checkOperator: OperatorCheck): Plugin<{ request: Request }> {
  return {
    onParse({ context: { request } }) {
      const verdict = checkOperator({ authorization: request.headers.get('authorization'), operatorToken: request.headers.get(OPERATOR_TOKEN_HEADER) });
      if (verdict === 'ok') return;
      const { status, code, message } = OPERATOR_REFUSALS[verdict];
      const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Bearer realm="operator"' } : {};
      throw new GraphQLError(message, { extensions: { code, http: { status, headers } } });
    },
  };
}
