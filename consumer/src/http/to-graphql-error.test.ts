import { ConflictError, UnauthenticatedError } from '@herald/core';
import { GraphQLError } from 'graphql';
import { ProducerRejectedError, ProducerUnavailableError } from '../producer/producer-http-client';
import { toGraphQLError } from './to-graphql-error';

const translated = (error: unknown) => {
  try {
    toGraphQLError(error);
  } catch (thrown) {
    return thrown;
  }
  throw new Error('toGraphQLError returned');
};

describe('GraphQL error codes', () => {
  it.each([
    [new ConflictError('Username is already taken'), 'CONFLICT'],
    [new UnauthenticatedError(), 'UNAUTHENTICATED'],
    [new ProducerRejectedError('BAD_USER_INPUT', 400, 'Invalid request body: email must be a valid e-mail address'), 'BAD_USER_INPUT'],
    [new ProducerRejectedError('PAYLOAD_TOO_LARGE', 413, 'too large'), 'BAD_USER_INPUT'],
    [new ProducerUnavailableError('The producer at http://x could not be reached'), 'PRODUCER_UNAVAILABLE'],
  ])('an expected error (%s) keeps its message and gets a stable code', (error, code) => {
    const result = translated(error) as GraphQLError;
    expect(result).toBeInstanceOf(GraphQLError);
    expect(result.message).toBe((error as Error).message);
    expect(result.extensions.code).toBe(code);
  });

  it('an unexpected error is passed on untouched, for yoga to mask', () => {
    const unexpected = new TypeError('cannot read properties of undefined');
    expect(translated(unexpected)).toBe(unexpected);
  });
});
