import type { Logger } from '@herald/core';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { createSchema, createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { GraphQLContext, Services } from './context';
import { resolvers } from './resolvers';
import { typeDefs } from './type-defs';

export type HeraldYoga = YogaServerInstance<object, Services>;

/**
 * The GraphQL server: GraphiQL on GET, subscriptions over SSE here and over graphql-ws (see
 * main.ts), unexpected errors masked, query depth and cost limited.
 */
export function createHeraldYoga({ services, logger, limits }: { services: Services; logger: Logger; limits: { maxDepth: number; maxCost: number } }): HeraldYoga {
  return createYoga<object, Services>({
    schema: createSchema<GraphQLContext>({ typeDefs, resolvers }),
    graphqlEndpoint: '/graphql',
    graphiql: {
      subscriptionsProtocol: 'WS',
      title: 'Herald GraphQL',
      defaultQuery: '{\n  users(first: 10) {\n    totalCount\n    edges { node { id username createdAt tokens { reason issuedAt } } }\n  }\n  consumerGroups { groupId state partitions { topic partition lag } }\n}\n',
    },
    // GraphiQL served from this package, not from a CDN: it works on closed networks too. Its
    // 9 MB bundle costs 32 MB of heap once loaded, so it is loaded on the first visit, not at start.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    // Merged with yoga's own context, which carries the request.
    context: () => services,
    maskedErrors: true,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error({ err: args.find((arg) => arg instanceof Error) }, args.filter((arg) => !(arg instanceof Error)).map(String).join(' ') || 'graphql error'),
    },
    plugins: [maxDepthPlugin({ n: limits.maxDepth, exposeLimits: true }), costLimitPlugin({ maxCost: limits.maxCost, exposeLimits: true })],
  });
}
