import type { RequestHandler } from 'express';
import { bearerToken, createSecretCheck } from './secret-check';

/** The header that carries the operator credential when `Authorization` holds a user's token. */
export const OPERATOR_TOKEN_HEADER = 'x-operator-token';

export type OperatorVerdict = 'ok' | 'missing' | 'wrong' | 'unconfigured';

/** What a client is told for each refusal; never the token, nor a hint of it. */
export const OPERATOR_REFUSALS: Record<Exclude<OperatorVerdict, 'ok'>, { status: number; code: string; message: string }> = {
  unconfigured: {
    status: 403,
    code: 'FORBIDDEN',
    message: 'Operator access is switched off: set OPERATOR_TOKEN (at least 32 characters) on this service to enable it',
  },
  missing: {
    status: 401,
    code: 'UNAUTHENTICATED',
    message: `An operator token is required: send Authorization: Bearer <OPERATOR_TOKEN> or ${OPERATOR_TOKEN_HEADER}: <OPERATOR_TOKEN>`,
  },
  wrong: { status: 403, code: 'FORBIDDEN', message: 'The operator token is not valid' },
};

export type OperatorCheck = (presented: { authorization?: string | null; operatorToken?: string | null }) => OperatorVerdict;

/**
 * Checks the operator credential: `Authorization: Bearer <token>` (what Prometheus sends) or the
 * `x-operator-token` header, in constant time (secret-check.ts). No token configured: every call
 * is refused.
 */
export function createOperatorCheck(expected: string | undefined): OperatorCheck {
  const matches = expected ? createSecretCheck(expected) : undefined;
  return ({ authorization, operatorToken }) => {
    if (!matches) return 'unconfigured';
    const presented = [operatorToken?.trim(), bearerToken(authorization)].filter((value): value is string => Boolean(value));
    if (presented.length === 0) return 'missing';
    return presented.some(matches) ? 'ok' : 'wrong';
  };
}

/** Express guard for operator-only routes (`/metrics`): 401 or 403 as JSON unless the token is right. */
export function requireOperator(check: OperatorCheck): RequestHandler {
  return (req, res, next) => {
    const verdict = check({ authorization: req.get('authorization'), operatorToken: req.get(OPERATOR_TOKEN_HEADER) });
    if (verdict === 'ok') {
      next();
      return;
    }
    const { status, code, message } = OPERATOR_REFUSALS[verdict];
    if (status === 401) res.set('WWW-Authenticate', 'Bearer realm="operator"');
    res.status(status).json({ error: { code, message } });
  };
}
