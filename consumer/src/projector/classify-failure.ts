import { isDatabaseUnavailable } from '@herald/db';
import type { FailureKind } from '@herald/kafka';
import { UserKeysUnavailableError } from '../personal-data/user-keys-client';

// SQLSTATEs of a statement that may pass when tried again: transaction rollback (class 40: serialization
// failure, deadlock), lock not available, statement timeout or cancel, out of memory or disk.
const RETRIABLE_STATE = /^(40...|55P03|57014|53...)$/;

/**
 * What a failed projection means for the record (the kinds: @herald/kafka's event-handler.ts):
 * the database or users' keys away is `unavailable` (the batch is read again later); a deadlock, a serialization
 * failure, a timeout or an error whose `retriable` flag says so is `retriable`; data the database
 * refuses and bugs are `permanent`.
 */
export function classifyFailure(error: unknown): FailureKind {
  // Without the database or users' keys no record can be written: read the batch again later.
  if (isDatabaseUnavailable(error) || error instanceof UserKeysUnavailableError) return 'unavailable';
  // Herald's error family and kafkajs' errors carry a `retriable` flag: the error decides.
  if ((error as { retriable?: unknown } | undefined)?.retriable === true) return 'retriable';
  const code = (error as { parent?: { code?: unknown } } | undefined)?.parent?.code;
  if (typeof code === 'string' && RETRIABLE_STATE.test(code)) return 'retriable';
  return 'permanent';
}
