import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Logger } from '@herald/core';
import type { GraphQLSchema } from 'graphql';
import { createSchema, createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { GraphQLContext, Services } from './context';
import { resolvers } from './resolvers';
import { readSdl } from '../../http/read-sdl';
import { sharedYogaOptions, type GraphQLOptions } from '../../http/shared-yoga-options';
import { createViewer } from './viewer';

export type PublicYoga = YogaServerInstance<object, Omit<GraphQLContext, 'request'>>;

/** The public schema's SDL: IssuedToken's file, which the operators' schema loads too, and the rest. */
export const PUBLIC_SCHEMA_FILES = [join(__dirname, 'issued-token.graphql'), join(__dirname, 'schema.graphql')];

/** The public schema with its resolvers: what /graphql serves, and what docs/contracts/public.graphql prints. */
/** Where the public schema is served as SDL (docs/contracts/public.graphql is the same text). */
export const PUBLIC_SDL_PATH = '/schema.graphql';

export function createPublicSchema(): GraphQLSchema {
  return createSchema<GraphQLContext>({ typeDefs: readSdl(PUBLIC_SCHEMA_FILES), resolvers });
}

/**
 * The public GraphQL server on /graphql: GraphiQL on GET, subscriptions over SSE here and over
 * graphql-ws (graphql-ws-server.ts), CORS from an allow-list, and what every endpoint has
 * (shared-yoga-options.ts). No operator field is in its schema: those are on /ops/graphql
 * (ops/create-ops-yoga.ts).
 */
export function createPublicYoga({
  services,
  logger,
  options,
  clientIpOf,
  schema = createPublicSchema(),
}: {
  services: Services;
  logger: Logger;
  options: GraphQLOptions;
  clientIpOf: (req: IncomingMessage) => string;
  /** Given when the caller also prints it (start-read-api.ts serves the SDL): built once. */
  schema?: GraphQLSchema;
}): PublicYoga {
  return createYoga<object, Omit<GraphQLContext, 'request'>>({
    ...sharedYogaOptions({ logger, options }),
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: options.graphiql && {
      subscriptionsProtocol: 'WS',
      title: 'Herald GraphQL',
      defaultQuery: '{\n  users(first: 10) {\n    totalCount\n    edges { node { id username createdAt } }\n  }\n}\n',
    },
    // GraphiQL served from this package, not from a CDN: it works on closed networks too. Its
    // 9 MB bundle costs 32 MB of heap once loaded, so it is loaded on the first visit, not at start.
    renderGraphiQL: async (graphiqlOptions) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiqlOptions),
    // Only listed origins get CORS headers (never a reflected one); without them a browser keeps
    // other sites' scripts from reading answers, and CSRF prevention keeps them from writing.
    cors: (request) => {
      const origin = request.headers.get('origin');
      if (!origin || !options.corsOrigins.includes(origin)) return false;
      return { origin: [origin], credentials: true, methods: ['GET', 'POST'], allowedHeaders: ['content-type', 'authorization', 'x-graphql-yoga-csrf'], maxAge: 600 };
    },
    // Merged with yoga's own context, which carries the request.
    context: (initial) => {
      // The Node request, from yoga's express integration or from graphql-ws (graphql-ws-server.ts).
      const { request, req } = initial as typeof initial & { req?: IncomingMessage };
      return {
        ...services,
        clientIp: req ? clientIpOf(req) : undefined,
        viewer: createViewer({ authorization: request.headers.get('authorization'), verifyToken: services.verifyToken }),
      };
    },
  });
}
