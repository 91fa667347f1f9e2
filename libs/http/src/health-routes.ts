import { Router } from 'express';
import type { Registry } from 'prom-client';
import { createOperatorCheck, requireOperator } from './operator-access';

/** How long one readiness or liveness check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 2000;

export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

/**
 * `/health`: the process is alive and its `liveness` checks pass (what ECS and the load balancer
 * poll; it does not depend on Kafka, so a broker outage never gets healthy tasks replaced, but a
 * part that cannot recover inside the process fails it). `/ready`: the database and broker are
 * reachable. `/ping`: who answers, for service-discovery checks. `/metrics`: Prometheus, for
 * operators only (`operatorToken`; Prometheus sends it as a bearer token), as it tells how the
 * service is used and what fails.
 */
export function createHealthRoutes({
  service,
  version,
  readiness,
  liveness = [],
  registry,
  operatorToken,
}: {
  service: string;
  version: string;
  readiness: ReadinessCheck[];
  liveness?: ReadinessCheck[];
  registry: Registry;
  /** The operator credential `/metrics` requires; without one, `/metrics` is refused. */
  operatorToken: string | undefined;
}): Router {
  const router = Router();
  const startedAt = new Date().toISOString();

  router.get('/ping', (_req, res) => {
    res.json({ service, version, startedAt, pid: process.pid });
  });

  // A check that does not answer in time (a hung database) counts as failed: the probe gets its
  // answer in time, rather than timing out itself and telling nothing.
  const bounded = (check: () => Promise<boolean>) =>
    new Promise<boolean>((resolveCheck) => {
      const timer = setTimeout(() => resolveCheck(false), CHECK_TIMEOUT_MS);
      check().then(resolveCheck, () => resolveCheck(false)).finally(() => clearTimeout(timer));
    });
  const run = async (checks: ReadinessCheck[]) => {
    const results = await Promise.all(checks.map(async ({ name, check }) => [name, await bounded(check)] as const));
    return { ok: results.every(([, ok]) => ok), checks: Object.fromEntries(results) };
  };

  router.get('/health', async (_req, res) => {
    const { ok, checks } = await run(liveness);
    res.status(ok ? 200 : 503).json(liveness.length === 0 ? { status: 'ok' } : { status: ok ? 'ok' : 'failing', checks });
  });

  router.get('/ready', async (_req, res) => {
    const { ok, checks } = await run(readiness);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
  });

  router.get('/metrics', requireOperator(createOperatorCheck(operatorToken)), async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  return router;
}
