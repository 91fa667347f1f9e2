import type { GraphQLContext } from '../context';

// Pushed by the projection consumers once a new row is committed to the read model, so what a
// subscriber receives can be queried right away.

export const userCreated = {
  subscribe: (_: unknown, __: unknown, { pubsub }: GraphQLContext) => pubsub.subscribe('userCreated'),
  resolve: (user: unknown) => user,
};

export const tokenIssued = {
  subscribe: (_: unknown, __: unknown, { pubsub }: GraphQLContext) => pubsub.subscribe('tokenIssued'),
  resolve: (token: unknown) => token,
};
