import { Router } from 'express';
import { clientIp } from '../http/client-ip';
import { requireBearer, type Caller } from '../http/require-bearer';
import { validate } from '../http/validate';
import type { RequestLimits } from '../limits/request-limits';
import type { AccessTokenVerifier } from './access-token-verifier';
import { loginSchema, passwordChangeSchema, refreshSchema } from './auth-schemas';
import type { createLogin } from './login';
import type { createPasswordChange } from './password-change';
import type { createRefresh } from './refresh';
import type { Sessions } from './sessions';
import type { SigningKey } from './signing-key';

/**
 * Login, refresh and the end of sessions: `/auth/logout` ends the access token's session,
 * `/auth/logout-all` every session of its user, `/auth/password` changes the password and ends
 * every other session. Each answers how many sessions ended.
 */
export function createAuthRoutes({
  login,
  refresh,
  changePassword,
  sessions,
  verifyAccessToken,
  limits,
  signingKey,
}: {
  login: ReturnType<typeof createLogin>;
  refresh: ReturnType<typeof createRefresh>;
  changePassword: ReturnType<typeof createPasswordChange>;
  sessions: Pick<Sessions, 'end'>;
  verifyAccessToken: AccessTokenVerifier;
  limits: Pick<RequestLimits, 'refresh' | 'session'>;
  signingKey: SigningKey;
}): Router {
  const router = Router();
  const caller = (locals: Record<string, unknown>) => locals.caller as Caller;
  const endSessions = async (who: Caller, scope: 'this' | 'all', traceparent: string | undefined) => {
    await limits.session(who);
    const only = scope === 'this' ? { only: who.sessionId } : {};
    return { endedSessions: await sessions.end({ userId: who.userId, ...only, reason: scope === 'this' ? 'logout' : 'logout-all', traceparent }) };
  };

  router.post('/auth/logout', requireBearer(verifyAccessToken), async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await endSessions(caller(res.locals), 'this', req.get('traceparent')));
  });

  router.post('/auth/logout-all', requireBearer(verifyAccessToken), async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await endSessions(caller(res.locals), 'all', req.get('traceparent')));
  });

  router.post('/auth/password', requireBearer(verifyAccessToken), async (req, res) => {
    const input = validate(passwordChangeSchema, req.body);
    res.set('Cache-Control', 'no-store').json(await changePassword(caller(res.locals), input, { traceparent: req.get('traceparent') }));
  });

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
