import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';

// The slice of the consumer's schema the `users` query touches.
const typeDefs = /* GraphQL */ `
  type User { id: ID! username: String! email: String! createdAt: String! }
  type UserEdge { cursor: String! node: User! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type UserConnection { edges: [UserEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type Query { users(first: Int = 20, after: String): UserConnection! }
`;

const users = Array.from({ length: 100 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, username: `user${i}`, email: `user${i}@example.com`, createdAt: new Date(i * 1000).toISOString() }));

/**
 * The ceiling of the consumer's `users` query: graphql-yoga with the same shape of schema,
 * answering from memory (no database, no plugins), in this process on a free port.
 */
export async function startBareYoga(): Promise<{ url: string; close: () => Promise<void> }> {
  const yoga = createYoga({
    schema: createSchema({
      typeDefs,
      resolvers: {
        Query: {
          users: (_: unknown, { first }: { first: number }) => {
            const page = users.slice(0, first);
            return { edges: page.map((node) => ({ cursor: node.id, node })), pageInfo: { hasNextPage: users.length > first, endCursor: page.at(-1)?.id ?? null }, totalCount: users.length };
          },
        },
      },
    }),
    graphiql: false,
    logging: false,
  });
  const server = createServer(yoga);
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolveListen) => server.once('listening', resolveListen));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolveClose) => server.close(() => resolveClose())) };
}
