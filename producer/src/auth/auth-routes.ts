import { Router } from 'express';
import { clientIp } from '../http/client-ip';
import { validate } from '../http/validate';
import type { RequestLimits } from '../limits/request-limits';
import { loginSchema, refreshSchema } from './auth-schemas';
import type { createLogin } from './login';
import type { createRefresh } from './refresh';
import type { SigningKey } from './signing-key';

export function createAuthRoutes({
  login,
  refresh,
  limits,
  signingKey,
}: {
  login: ReturnType<typeof createLogin>;
  refresh: ReturnType<typeof createRefresh>;
  limits: Pick<RequestLimits, 'refresh'>;
  signingKey: SigningKey;
}): Router {
  const router = Router();

  router.post('/auth/login', async (req, res) => {
    const tokens = await login(validate(loginSchema, req.body), { ip: clientIp(req), traceparent: req.get('traceparent') });
    res.set('Cache-Control', 'no-store').json(tokens);
  });

  router.post('/auth/refresh', async (req, res) => {
    const input = validate(refreshSchema, req.body);
    await limits.refresh({ ip: clientIp(req) });
    const tokens = await refresh(input, { traceparent: req.get('traceparent') });
    res.set('Cache-Control', 'no-store').json(tokens);
  });

  // Public keys for verifying access tokens; verifiers cache them (and refetch on an unknown kid).
  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(signingKey.jwks);
  });

  return router;
}
