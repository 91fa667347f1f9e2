import type { Logger } from '@herald/core';
import { createErrorHandler, notFoundHandler, requestLogging } from '@herald/http';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { TrustProxy } from './graphql/client-ip';
import { limitGraphQLBody } from './graphql/body-limit';
import type { HeraldYoga } from './graphql/create-yoga';
import type { OpsYoga } from './graphql/ops/create-ops-yoga';
import type { Metrics } from './http/metrics';

/** Builds the express app (public GraphQL at /graphql, the operators' at /ops/graphql, health routes) without listening. */
export function buildApp({
  yoga,
  opsYoga,
  routers,
  logger,
  metrics,
  trustProxy,
  graphqlBodyLimitBytes,
  sseBudget,
}: {
  yoga: HeraldYoga;
  opsYoga: OpsYoga;
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
  for (const endpoint of [yoga, opsYoga]) {
    app.use(endpoint.graphqlEndpoint, limitGraphQLBody({ limitBytes: graphqlBodyLimitBytes }), sseBudget);
    app.use(endpoint.graphqlEndpoint, endpoint);
  }
  app.get('/', (_req, res) => res.redirect(yoga.graphqlEndpoint));
  app.use(notFoundHandler);
  app.use(createErrorHandler({ logger, bodyLimitBytes: graphqlBodyLimitBytes }));
  return app;
}
