import type { Logger } from '@herald/core';
import express, { type Express, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import { createErrorHandler, notFoundHandler, requireJson } from './http/error-handler';
import type { Metrics } from './http/metrics';

export interface AppDependencies {
  routers: Router[];
  logger: Logger;
  metrics: Metrics;
  bodyLimitBytes: number;
}

/** Builds the express app without listening, so tests and main.ts decide where it runs. */
export function buildApp({ routers, logger, metrics, bodyLimitBytes }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);

  app.use(
    pinoHttp({
      logger,
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
      serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }) },
    }),
  );
  app.use((req, res, next) => {
    const end = metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => end({ route: (req.route as { path?: string } | undefined)?.path ?? 'unmatched', status: res.statusCode }));
    next();
  });
  app.use(requireJson);
  // strict: only objects and arrays at the top level; anything else is a 400, not a 500.
  app.use(express.json({ limit: bodyLimitBytes, strict: true }));
  for (const router of routers) app.use(router);
  app.use(notFoundHandler);
  app.use(createErrorHandler({ logger, bodyLimitBytes }));
  return app;
}
