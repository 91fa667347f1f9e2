import type { Logger } from '@herald/core';
import express, { type Express, type Router } from 'express';
import { createErrorHandler, notFoundHandler, requestLogging, requireJson } from '@herald/http';
import type { Metrics } from './http/metrics';

export interface AppDependencies {
  routers: Router[];
  logger: Logger;
  metrics: Metrics;
  bodyLimitBytes: number;
  /** express `trust proxy`: which peers' X-Forwarded-For names the client (TRUST_PROXY). */
  trustProxy: boolean | number | string;
}

/** Builds the express app without listening, so tests and main.ts decide where it runs. */
export function buildApp({ routers, logger, metrics, bodyLimitBytes, trustProxy }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);

  app.use(requestLogging({ logger, httpDuration: metrics.httpDuration }));
  app.use(requireJson);
  // strict: only objects and arrays at the top level; anything else is a 400, not a 500.
  app.use(express.json({ limit: bodyLimitBytes, strict: true }));
  for (const router of routers) app.use(router);
  app.use(notFoundHandler);
  app.use(createErrorHandler({ logger, bodyLimitBytes }));
  return app;
}
