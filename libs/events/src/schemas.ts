import { z } from 'zod';
import { sealedSchema, type PostContent, type UserProfile } from './sealed';

/**
 * Event schemas shared by producer and consumer. Every event is an envelope (`eventId`, `type`,
 * `version`, `occurredAt`) around a payload. Payload objects are strict: a field that is not in
 * the schema (a password hash that slipped in, say) fails validation instead of being published.
 */
const envelope = <T extends string, P extends z.ZodObject, V extends number = 1>(type: T, payload: P, version = 1 as V) =>
  z.strictObject({
    eventId: z.uuid(),
    type: z.literal(type),
    version: z.literal(version),
    occurredAt: z.iso.datetime(),
    payload,
  });

/** Sessions ended at once beyond this are told in several session-ended events. */
export const MAX_SESSIONS_PER_EVENT = 500;

/**
 * A user signed up. Version 2: the personal fields (username, e-mail, names) travel sealed under the
 * user's key (`profile`, sealed.ts), never in plain text; version 1 carried them in the clear.
 */
export const newUserCreatedSchema = envelope(
  'new-user-created',
  z.strictObject({
    userId: z.uuid(),
    profile: sealedSchema,
    createdAt: z.iso.datetime(),
  }),
  2,
);

/**
 * A user's profile after a change: the whole profile, not the change, at the user's `revision`
 * (sign-up is revision 1, each change the next). It travels on another topic than the sign-up, so
 * the two may be projected in either order; the read model keeps the highest revision.
 */
export const userUpdatedSchema = envelope(
  'user-updated',
  z.strictObject({
    userId: z.uuid(),
    revision: z.number().int().min(2),
    profile: sealedSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
  2,
);

/**
 * A user deleted their account. Deletion wins in any order: the read models keep the user's id as
 * a tombstone, and no event of the user projected later (another topic, a retry, a replay) brings
 * anything back. It carries no personal data, only the id.
 */
export const userDeletedSchema = envelope(
  'user-deleted',
  z.strictObject({
    userId: z.uuid(),
    deletedAt: z.iso.datetime(),
  }),
);

export const issuedTokenSchema = envelope(
  'issued-token',
  z.strictObject({
    /** The access token's id (`jti` claim): enough to audit or revoke it, useless to an attacker. */
    jti: z.uuid(),
    userId: z.uuid(),
    reason: z.enum(['login', 'refresh']),
    issuedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
  }),
);

/**
 * Sessions of one user that ended: a login starts a session, whose refresh tokens and access tokens
 * (`sid` claim) carry its id; from this event on, both services refuse its access tokens although
 * they have not expired. `reason` says who ended them: the user (logout, logout everywhere, a new
 * password ends every other session) or the producer (a used refresh token presented again).
 */
export const sessionEndedSchema = envelope(
  'session-ended',
  z.strictObject({
    userId: z.uuid(),
    sessionIds: z.array(z.uuid()).min(1).max(MAX_SESSIONS_PER_EVENT),
    reason: z.enum(['logout', 'logout-all', 'password-changed', 'refresh-token-reused', 'account-deleted']),
    endedAt: z.iso.datetime(),
  }),
);

/**
 * A post as its author's followers see it; its author is the actor of the request, never the body.
 * Version 2: title and body travel sealed under the author's key (`content`), so they go with the
 * author's account.
 */
export const postCreatedSchema = envelope(
  'post-created',
  z.strictObject({
    postId: z.uuid(),
    authorId: z.uuid(),
    content: sealedSchema,
    createdAt: z.iso.datetime(),
  }),
  2,
);

/**
 * A post its author deleted. It travels on another topic than the post, so it may be projected
 * first: the read model keeps it (a tombstone), and the post, when it comes, is never shown.
 */
export const postDeletedSchema = envelope(
  'post-deleted',
  z.strictObject({
    postId: z.uuid(),
    authorId: z.uuid(),
    deletedAt: z.iso.datetime(),
  }),
);

/**
 * A follow and an unfollow of one pair travel on two topics, so they may be projected in either
 * order; `revision` (the pair's change count in the producer, 1, 2, 3…) says which is the later.
 */
const followChange = z.strictObject({
  followerId: z.uuid(),
  followeeId: z.uuid(),
  revision: z.number().int().positive(),
  at: z.iso.datetime(),
});

export const userFollowedSchema = envelope('user-followed', followChange);
export const userUnfollowedSchema = envelope('user-unfollowed', followChange);

export type NewUserCreated = z.infer<typeof newUserCreatedSchema>;
export type UserUpdated = z.infer<typeof userUpdatedSchema>;
export type UserDeleted = z.infer<typeof userDeletedSchema>;
export type IssuedToken = z.infer<typeof issuedTokenSchema>;
export type PostCreated = z.infer<typeof postCreatedSchema>;
export type PostDeleted = z.infer<typeof postDeletedSchema>;
export type UserFollowed = z.infer<typeof userFollowedSchema>;
export type UserUnfollowed = z.infer<typeof userUnfollowedSchema>;
export type SessionEnded = z.infer<typeof sessionEndedSchema>;
export type HeraldEvent = NewUserCreated | UserUpdated | UserDeleted | IssuedToken | PostCreated | PostDeleted | UserFollowed | UserUnfollowed | SessionEnded;
export type EventType = HeraldEvent['type'];

/** The events that carry sealed personal data, and the field that holds it. */
export type SealedEvent = NewUserCreated | UserUpdated | PostCreated;

/**
 * An event with its sealed field opened: what the consumer's read models are written from. An
 * event without sealed data is itself.
 */
export type Unsealed<E extends HeraldEvent> = E extends NewUserCreated | UserUpdated
  ? Omit<E, 'payload'> & { payload: Omit<E['payload'], 'profile'> & UserProfile }
  : E extends PostCreated
    ? Omit<E, 'payload'> & { payload: Omit<E['payload'], 'content'> & PostContent }
    : E;
/** The event of one type: `EventOf<'issued-token'>` is `IssuedToken`. */
export type EventOf<T extends EventType> = Extract<HeraldEvent, { type: T }>;

export const eventSchemas = {
  'new-user-created': newUserCreatedSchema,
  'user-updated': userUpdatedSchema,
  'user-deleted': userDeletedSchema,
  'issued-token': issuedTokenSchema,
  'post-created': postCreatedSchema,
  'post-deleted': postDeletedSchema,
  'user-followed': userFollowedSchema,
  'user-unfollowed': userUnfollowedSchema,
  'session-ended': sessionEndedSchema,
} as const satisfies Record<EventType, z.ZodType>;

/** Parses a record value of any Herald event; throws a ZodError naming what is wrong. */
export const heraldEventSchema = z.discriminatedUnion('type', [
  newUserCreatedSchema,
  userUpdatedSchema,
  userDeletedSchema,
  issuedTokenSchema,
  postCreatedSchema,
  postDeletedSchema,
  userFollowedSchema,
  userUnfollowedSchema,
  sessionEndedSchema,
]);

export function parseEvent(value: unknown): HeraldEvent {
  return heraldEventSchema.parse(value);
}

/**
 * The payload field that is an event's record key: the user it is about (a post's author, a
 * follow's follower). keyOf reads it, and the AsyncAPI contract names it.
 */
export const KEY_FIELDS = {
  'new-user-created': 'userId',
  'user-updated': 'userId',
  'user-deleted': 'userId',
  'issued-token': 'userId',
  'post-created': 'authorId',
  'post-deleted': 'authorId',
  'user-followed': 'followerId',
  'user-unfollowed': 'followerId',
  'session-ended': 'userId',
} as const satisfies { [T in EventType]: keyof EventOf<T>['payload'] & string };

/** The record key of an event: the user it is about (a post's author, a follow's follower). */
export function keyOf(event: HeraldEvent): string {
  const payload: Record<string, unknown> = event.payload;
  return payload[KEY_FIELDS[event.type]] as string;
}
