import type { IncomingMessage } from 'node:http';
import type { Logger } from '@herald/core';
import { OPERATOR_TOKEN_HEADER } from '@herald/http';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { createSchema, createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { GraphQLContext, Services } from './context';
import { useNoEcho } from './no-echo';
import { resolvers } from './resolvers';
import { consoleTypeDefs } from './console-type-defs';
import { typeDefs } from './type-defs';
import { createViewer } from './viewer';

export interface GraphQLLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
}

export interface GraphQLOptions {
  limits: GraphQLLimits;
  /** Introspection and "did you mean" suggestions (both tell the schema to whoever asks). */
  introspection: boolean;
  graphiql: boolean;
  /** Browser origins allowed by CORS; any other gets no CORS headers (same origin only). */
  corsOrigins: string[];
}

export type HeraldYoga = YogaServerInstance<object, Omit<GraphQLContext, 'request'>>;

const noIntrospection = (): Plugin => ({
  onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule),
});

/**
 * The GraphQL server: GraphiQL on GET, subscriptions over SSE here and over graphql-ws (see
 * main.ts), unexpected errors masked, no part of a request echoed in an error, and the abuse
 * limits: depth, cost, aliases, tokens, directives, CSRF prevention, CORS from an allow-list.
 */
export function createHeraldYoga({
  services,
  logger,
  options,
  clientIpOf,
}: {
  services: Services;
  logger: Logger;
  options: GraphQLOptions;
  clientIpOf: (req: IncomingMessage) => string;
}): HeraldYoga {
  const { limits } = options;
  return createYoga<object, Omit<GraphQLContext, 'request'>>({
    schema: createSchema<GraphQLContext>({ typeDefs: [typeDefs, consoleTypeDefs], resolvers }),
    graphqlEndpoint: '/graphql',
    graphiql: options.graphiql && {
      subscriptionsProtocol: 'WS',
      title: 'Herald GraphQL',
      defaultQuery: '{\n  users(first: 10) {\n    totalCount\n    edges { node { id username createdAt } }\n  }\n}\n',
    },
    // GraphiQL served from this package, not from a CDN: it works on closed networks too. Its
    // 9 MB bundle costs 32 MB of heap once loaded, so it is loaded on the first visit, not at start.
    renderGraphiQL: async (graphiqlOptions) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiqlOptions),
    landingPage: false,
    // Only listed origins get CORS headers (never a reflected one); without them a browser keeps
    // other sites' scripts from reading answers, and CSRF prevention keeps them from writing.
    cors: (request) => {
      const origin = request.headers.get('origin');
      if (!origin || !options.corsOrigins.includes(origin)) return false;
      return { origin: [origin], credentials: true, methods: ['GET', 'POST'], allowedHeaders: ['content-type', 'authorization', OPERATOR_TOKEN_HEADER, 'x-graphql-yoga-csrf'], maxAge: 600 };
    },
    // Merged with yoga's own context, which carries the request.
    context: (initial) => {
      // The Node request, from yoga's express integration or from graphql-ws (graphql-ws-server.ts).
      const { request, req } = initial as typeof initial & { req?: IncomingMessage };
      let producerStatus: ReturnType<Services['producerStatus']> | undefined;
      return {
        ...services,
        clientIp: req ? clientIpOf(req) : undefined,
        viewer: createViewer({ authorization: request.headers.get('authorization'), verifyToken: services.verifyToken }),
        producerStatusOnce: () => (producerStatus ??= services.producerStatus()),
      };
    },
    maskedErrors: true,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error({ err: args.find((arg) => arg instanceof Error) }, args.filter((arg) => !(arg instanceof Error)).map(String).join(' ') || 'graphql error'),
    },
    plugins: [
      // Form posts and header-less GETs (what another site can make a browser send) are refused.
      useCSRFPrevention(),
      maxTokensPlugin({ n: limits.maxTokens, exposeLimits: true }),
      maxDepthPlugin({ n: limits.maxDepth, exposeLimits: true }),
      maxAliasesPlugin({ n: limits.maxAliases, exposeLimits: true }),
      maxDirectivesPlugin({ n: limits.maxDirectives, exposeLimits: true }),
      costLimitPlugin({ maxCost: limits.maxCost, exposeLimits: true }),
      ...(options.introspection ? [] : [noIntrospection(), blockFieldSuggestionsPlugin()]),
      useNoEcho(),
    ],
  });
}
