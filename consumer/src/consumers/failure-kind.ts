import { isDatabaseUnavailable } from '@herald/db';

/**
 * What a failed projection means for the message:
 * - `unavailable`: the database is away; nothing is committed and the batch is read again later.
 * - `retriable`: this attempt failed but another may pass (a deadlock, a serialization failure, a
 *   timeout, or an error whose `retriable` flag says so): the message goes to the retry topic.
 * - `permanent`: the message can never be applied (data the database refuses, a bug): it goes to the
 *   dead-letter queue at once, so retries do not hide it for minutes.
 */
export type FailureKind = 'unavailable' | 'retriable' | 'permanent';

// SQLSTATEs of a statement that may pass when tried again: transaction rollback (class 40: serialization
// failure, deadlock), lock not available, statement timeout or cancel, out of memory or disk.
const RETRIABLE_STATE = /^(40...|55P03|57014|53...)$/;

export function failureKind(error: unknown): FailureKind {
  if (isDatabaseUnavailable(error)) return 'unavailable';
  // Herald's error family and kafkajs' errors carry a `retriable` flag: the error decides.
  if ((error as { retriable?: unknown } | undefined)?.retriable === true) return 'retriable';
  const code = (error as { parent?: { code?: unknown } } | undefined)?.parent?.code;
  if (typeof code === 'string' && RETRIABLE_STATE.test(code)) return 'retriable';
  return 'permanent';
}
