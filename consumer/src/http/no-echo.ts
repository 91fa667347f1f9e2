import type { Plugin } from 'graphql-yoga';
import { GraphQLError, Kind, print, type ExecutionResult } from 'graphql';

/**
 * Error messages that would carry part of the request (a password given as a number, a string
 * literal in a syntax error, the text of a malformed body) say what is wrong without it.
 * Field and type names stay: they are the schema's words, not the client's data.
 */
export function withoutEcho(error: GraphQLError): GraphQLError {
  let message = error.message;
  const variable = /^Variable "\$([A-Za-z_][A-Za-z0-9_]*)" got invalid value/.exec(message);
  if (variable) {
    const definition = error.nodes?.[0];
    const type = definition?.kind === Kind.VARIABLE_DEFINITION ? ` for its type ${print(definition.type)}` : '';
    message = `Variable "$${variable[1]}" got an invalid value${type}.`;
  } else {
    message = message
      .replace(/(cannot represent [^:]*value): .*$/s, '$1.')
      .replace(/(Expected value of type "[^"]+"), found .*$/s, '$1.')
      .replace(/\b(Block)?String ".*"/s, 'a string');
  }
  const { originalError: _echoed, ...extensions } = error.extensions as Record<string, unknown>;
  if (message === error.message && !('originalError' in error.extensions)) return error;
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
}

export function resultWithoutEcho<R>(result: R): R {
  if (Array.isArray(result)) return result.map((one) => resultWithoutEcho(one)) as R;
  const errors = (result as ExecutionResult | undefined)?.errors;
  if (!errors) return result;
  return { ...result, errors: errors.map((error) => (error instanceof GraphQLError ? withoutEcho(error) : error)) };
}

/** Applies withoutEcho to every answer yoga sends (request errors, validation, execution). */
export const useNoEcho = (): Plugin => ({
  onResultProcess({ result, setResult }) {
    if (result && typeof result === 'object' && !(Symbol.asyncIterator in result)) setResult(resultWithoutEcho(result));
  },
});
