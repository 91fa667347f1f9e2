import type { Logger } from '@herald/core';
import { trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { Histogram, type Registry } from 'prom-client';

/**
 * Request logs (quiet for probes and scrapes) and a duration histogram by route and status.
 * Answers refused by an abuse limit (429) log at debug: a flood must not become a log flood, and
 * the histogram counts them by route. So do readiness probes: a 503 from /ready while a
 * dependency is away is the probe working (polled every few hundred ms by runners and load
 * balancers), and the dependency's own client logs why.
 * The request's server span (when tracing is on) is named by its route, as the histogram labels
 * it: `POST /users`, not the bare method the HTTP instrumentation knows.
 */
export function requestLogging({ logger, httpDuration }: { logger: Logger; httpDuration: Histogram }): RequestHandler[] {
  return [
    pinoHttp({
      logger,
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      customLogLevel: (req, res, error) =>
        req.url === '/ready' ? 'debug' : error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 && res.statusCode !== 429 ? 'info' : 'debug',
      serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }) },
    }),
    (req, res, next) => {
      const end = httpDuration.startTimer({ method: req.method });
      const span = trace.getActiveSpan();
      res.on('finish', () => {
        const route = (req.route as { path?: string } | undefined)?.path ?? (req.baseUrl || 'unmatched');
        end({ route, status: res.statusCode });
        span?.updateName(`${req.method} ${route}`);
        span?.setAttribute('http.route', route);
      });
      next();
    },
  ];
}

/** The request-duration histogram `requestLogging` fills, registered in the service's registry. */
export function createHttpDurationHistogram(registry: Registry): Histogram {
  return new Histogram({
    name: 'herald_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
}
