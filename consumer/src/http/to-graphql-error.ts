import { isAppError } from '@herald/core';
import { GraphQLError } from 'graphql';

// Producer and Herald error codes, as GraphQL clients know them.
const CODES: Record<string, string> = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNSUPPORTED_MEDIA_TYPE: 'BAD_USER_INPUT',
  PAYLOAD_TOO_LARGE: 'BAD_USER_INPUT',
  CONFLICT: 'CONFLICT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  NOT_FOUND: 'NOT_FOUND',
  PRODUCER_UNAVAILABLE: 'PRODUCER_UNAVAILABLE',
};

/**
 * Expected errors become GraphQL errors with a stable `extensions.code`; anything else is
 * rethrown for yoga to mask ("Unexpected error.") and log.
 */
export function toGraphQLError(error: unknown): never {
  if (isAppError(error)) {
    throw new GraphQLError(error.message, {
      extensions: { code: CODES[error.code] ?? error.code, ...(error.details ? { details: error.details } : {}) },
    });
  }
  throw error;
}

/** Runs a resolver body, translating expected errors. */
export async function guarded<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    return toGraphQLError(error);
  }
}

export const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
