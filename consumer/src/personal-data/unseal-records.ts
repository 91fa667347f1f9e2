import { postContentSchema, unseal, userProfileSchema, type SealedEvent, type Unsealed } from '@herald/events';
import type { Located } from '@herald/kafka';
import type { UserKeys } from './user-keys-client';

const ownerOf = (event: SealedEvent) => (event.type === 'post-created' ? event.payload.authorId : event.payload.userId);

function unsealEvent<E extends SealedEvent>(event: E, key: Uint8Array): Unsealed<E> {
  if (event.type === 'post-created') {
    const { content, ...rest } = event.payload;
    return { ...event, payload: { ...rest, ...unseal(postContentSchema, content, { userId: rest.authorId, key }) } } as Unsealed<E>;
  }
  const { profile, ...rest } = event.payload;
  return { ...event, payload: { ...rest, ...unseal(userProfileSchema, profile, { userId: rest.userId, key }) } } as Unsealed<E>;
}

/**
 * Opens the sealed personal data of a batch's events with their users' keys. An event whose user
 * has no key any more belongs to a deleted account: it is left out (erased), as the deletion would
 * remove what it wrote anyway. A sealed field that does not open with its user's key (altered, or
 * sealed for someone else) throws, and the record goes the way of any bad record.
 */
export function createRecordUnsealer({ userKeys }: { userKeys: Pick<UserKeys, 'keysOf'> }) {
  return async function unsealRecords<E extends SealedEvent>(records: Array<Located<E>>): Promise<Array<Located<Unsealed<E>>>> {
    const keys = await userKeys.keysOf(records.map(({ event }) => ownerOf(event)));
    const opened: Array<Located<Unsealed<E>>> = [];
    for (const record of records) {
      const key = keys.get(ownerOf(record.event));
      if (key) opened.push({ ...record, event: unsealEvent(record.event, key) });
    }
    return opened;
  };
}

export type RecordUnsealer = ReturnType<typeof createRecordUnsealer>;
