import type { Logger } from '@herald/core';
import { createErrorHandler, notFoundHandler, requestLogging } from '@herald/http';
import express, { type Express, type Router } from 'express';
import type { HeraldYoga } from './graphql/create-yoga';
import type { Metrics } from './http/metrics';

/** Builds the express app (GraphQL at /graphql, health routes) without listening. */
export function buildApp({ yoga, routers, logger, metrics }: { yoga: HeraldYoga; routers: Router[]; logger: Logger; metrics: Metrics }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(requestLogging({ logger, httpDuration: metrics.httpDuration }));
  for (const router of routers) app.use(router);
  // yoga parses its own bodies (JSON, multipart, GET query strings) and answers GraphiQL on GET.
  app.use(yoga.graphqlEndpoint, yoga);
  app.get('/', (_req, res) => res.redirect(yoga.graphqlEndpoint));
  app.use(notFoundHandler);
  app.use(createErrorHandler({ logger, bodyLimitBytes: 0 }));
  return app;
}
