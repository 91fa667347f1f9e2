import { ConnectionError } from 'sequelize';

// SQLSTATEs that mean "the server is going away or cannot take us now", not "this statement is wrong".
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '53400']);

/**
 * Whether an error says the database cannot be used right now (down, restarting, out of
 * connections), as opposed to a problem with what was asked. Callers wait and try the same work
 * again instead of giving up on it.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof ConnectionError) return true;
  const code = (error as { parent?: { code?: unknown }; original?: { code?: unknown } } | undefined)?.parent?.code;
  return typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_STATES.has(code));
}
