import { UnauthenticatedError } from '@herald/core';
import type { RequestHandler } from 'express';
import type { AccessTokenVerifier } from '../auth/access-token-verifier';

/** The caller, as its bearer token says; set by `requireBearer` on the routes that need one. */
export interface Caller {
  userId: string;
  /** The session of the caller's access token (what logout ends). */
  sessionId: string;
}

/**
 * Requires `Authorization: Bearer <access token>`; the verified caller goes to
 * `res.locals.caller`. A 401 says which scheme it wants (RFC 6750), and nothing about the token.
 */
export function requireBearer(verify: AccessTokenVerifier): RequestHandler {
  return async (req, res, next) => {
    res.set('WWW-Authenticate', 'Bearer');
    const [scheme, token, ...rest] = (req.get('authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) throw new UnauthenticatedError('A bearer access token is required');
    const caller: Caller = await verify(token);
    res.removeHeader('WWW-Authenticate');
    res.locals.caller = caller;
    next();
  };
}
