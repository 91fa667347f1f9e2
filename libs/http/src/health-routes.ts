import { Router } from 'express';
import type { Registry } from 'prom-client';
import { createOperatorCheck, requireOperator } from './operator-access';

export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

/**
 * `/health`: the process is alive (what ECS and the load balancer poll; it does not depend on
 * Kafka, so a broker outage never gets healthy tasks replaced). `/ready`: the database and broker
 * are reachable. `/ping`: who answers, for service-discovery checks. `/metrics`: Prometheus, for
 * operators only (`operatorToken`; Prometheus sends it as a bearer token), as it tells how the
 * service is used and what fails.
 */
export function createHealthRoutes({
  service,
  version,
  readiness,
  registry,
  operatorToken,
}: {
  service: string;
  version: string;
  readiness: ReadinessCheck[];
  registry: Registry;
  /** The operator credential `/metrics` requires; without one, `/metrics` is refused. */
  operatorToken: string | undefined;
}): Router {
  const router = Router();
  const startedAt = new Date().toISOString();

  router.get('/ping', (_req, res) => {
    res.json({ service, version, startedAt, pid: process.pid });
  });

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/ready', async (_req, res) => {
    const results = await Promise.all(readiness.map(async ({ name, check }) => [name, await check().catch(() => false)] as const));
    const ready = results.every(([, ok]) => ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });

  router.get('/metrics', requireOperator(createOperatorCheck(operatorToken)), async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  return router;
}
