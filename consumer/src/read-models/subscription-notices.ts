import type { TokenView } from './tokens-read-model';
import type { UserView } from './users-read-model';

/**
 * Channel of the NOTIFY the users and tokens projections send for each row they newly insert, in
 * the INSERT's own statement: PostgreSQL delivers it when that statement commits (never for a
 * rollback, never for a redelivered event, which inserts nothing) to every consumer task
 * listening, and `consumers/subscription-pushes.ts` hands it to `userCreated` and `tokenIssued`.
 */
export const SUBSCRIPTION_CHANNEL = 'herald_subscriptions';

/**
 * One notice: the subscription it feeds and the view it pushes, the same shape a query returns.
 * NOTIFY refuses payloads of 8000 bytes or more (the whole statement would fail); a token's notice
 * is about 300 bytes, a user's about 400 and never over 4.5 kB: the event schema bounds its free
 * text (libs/events/src/schemas.ts) at a 32-character username (6 bytes each at worst in JSON, a
 * control character escaped), a 254-character ASCII e-mail and two 300-character names.
 */
export type SubscriptionNotice = { subscription: 'userCreated'; view: UserView } | { subscription: 'tokenIssued'; view: TokenView };

/** SQL for an ISO 8601 UTC timestamp with milliseconds, as `Date.prototype.toISOString` writes it (what queries return). */
export const isoTimestamp = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
