import type { Logger } from '@herald/core';
import { createErrorHandler, notFoundHandler, requestLogging } from '@herald/http';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { TrustProxy } from './http/client-ip';
import { limitGraphQLBody } from './http/body-limit';
import type { GraphQLEndpoint } from './http/graphql-endpoint';
import type { Metrics } from './http/metrics';

/** Builds the express app (the roles' GraphQL endpoints and routes, health routes) without listening. */
export function buildApp({
  endpoints,
  routers,
  logger,
  metrics,
  trustProxy,
  graphqlBodyLimitBytes,
  sseBudget,
}: {
  /** The GraphQL endpoints of the roles this process runs (public /graphql, operators' /ops/graphql). */
  endpoints: GraphQLEndpoint[];
  routers: Router[];
  logger: Logger;
  metrics: Metrics;
  /** Whose X-Forwarded-For is believed: the load balancer's, never any client's. */
  trustProxy: TrustProxy;
  graphqlBodyLimitBytes: number;
  /** Counts GraphQL-over-SSE streams against the client's budget (429 over it). */
  sseBudget: RequestHandler;
}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.use(requestLogging({ logger, httpDuration: metrics.httpDuration }));
  for (const router of routers) app.use(router);
  // yoga parses the body (JSON, multipart, GET query strings) once it is read within the limit,
  // and answers GraphiQL on GET (public endpoint). Both endpoints have the same limits.
  for (const endpoint of endpoints) {
    app.use(endpoint.graphqlEndpoint, limitGraphQLBody({ limitBytes: graphqlBodyLimitBytes }), sseBudget);
    app.use(endpoint.graphqlEndpoint, endpoint);
  }
  // The first endpoint is the public one when this process serves it (main.ts orders them by role).
  const home = endpoints[0]?.graphqlEndpoint;
  if (home) app.get('/', (_req, res) => res.redirect(home));
  app.use(notFoundHandler);
  app.use(createErrorHandler({ logger, bodyLimitBytes: graphqlBodyLimitBytes }));
  return app;
}
