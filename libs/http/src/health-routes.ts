import { Router, type Response } from 'express';
import type { Registry } from 'prom-client';
import { createOperatorCheck, requireOperator } from './operator-access';

/** How long one readiness or liveness check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 2000;

export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

/** The checks of one part of a service (a runtime role), also served alone under `/health/<part>` and `/ready/<part>`. */
export interface HealthPart {
  readiness: ReadinessCheck[];
  liveness: ReadinessCheck[];
}

/**
 * `/health`: the process is alive and its `liveness` checks pass (what ECS and the load balancer
 * poll; it does not depend on Kafka, so a broker outage never gets healthy tasks replaced, but a
 * part that cannot recover inside the process fails it). `/ready`: the database and broker are
 * reachable. `/ping`: who answers, for service-discovery checks. `/metrics`: Prometheus, for
 * operators only (`operatorToken`; Prometheus sends it as a bearer token), as it tells how the
 * service is used and what fails. With `parts`, `/health` and `/ready` run the service's own
 * checks and every part's (named `<part>.<check>`), and `/health/<part>` and `/ready/<part>` the
 * service's own and that part's alone (404 for a part this process does not run): a load balancer
 * in front of one part checks only what that part needs.
 */
export function createHealthRoutes({
  service,
  version,
  readiness = [],
  liveness = [],
  parts = {},
  registry,
  operatorToken,
}: {
  service: string;
  version: string;
  readiness?: ReadinessCheck[];
  liveness?: ReadinessCheck[];
  parts?: Record<string, HealthPart>;
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

  // A part's checks are named `<part>.<check>` in the whole service's answer.
  const named = (part: string, checks: ReadinessCheck[]) => checks.map(({ name, check }) => ({ name: `${part}.${name}`, check }));
  const all = (pick: (part: HealthPart) => ReadinessCheck[], own: ReadinessCheck[]) => [...own, ...Object.entries(parts).flatMap(([part, checks]) => named(part, pick(checks)))];
  const allLiveness = all((part) => part.liveness, liveness);
  const allReadiness = all((part) => part.readiness, readiness);

  const health = (checks: ReadinessCheck[]) => async (_req: unknown, res: Response) => {
    const { ok, checks: results } = await run(checks);
    res.status(ok ? 200 : 503).json(checks.length === 0 ? { status: 'ok' } : { status: ok ? 'ok' : 'failing', checks: results });
  };
  const ready = (checks: ReadinessCheck[]) => async (_req: unknown, res: Response) => {
    const { ok, checks: results } = await run(checks);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks: results });
  };

  router.get('/health', health(allLiveness));
  router.get('/ready', ready(allReadiness));
  for (const [part, checks] of Object.entries(parts)) {
    router.get(`/health/${part}`, health([...liveness, ...checks.liveness]));
    router.get(`/ready/${part}`, ready([...readiness, ...checks.readiness]));
  }

  router.get('/metrics', requireOperator(createOperatorCheck(operatorToken)), async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  return router;
}
