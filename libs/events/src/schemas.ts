import { z } from 'zod';

/**
 * Event schemas shared by producer and consumer. Every event is an envelope (`eventId`, `type`,
 * `version`, `occurredAt`) around a payload. Payload objects are strict: a field that is not in
 * the schema (a password hash that slipped in, say) fails validation instead of being published.
 */
const envelope = <T extends string, P extends z.ZodObject>(type: T, payload: P) =>
  z.strictObject({
    eventId: z.uuid(),
    type: z.literal(type),
    version: z.literal(1),
    occurredAt: z.iso.datetime(),
    payload,
  });

export const newUserCreatedSchema = envelope(
  'new-user-created',
  z.strictObject({
    userId: z.uuid(),
    username: z.string().min(1),
    email: z.email(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    createdAt: z.iso.datetime(),
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

export type NewUserCreated = z.infer<typeof newUserCreatedSchema>;
export type IssuedToken = z.infer<typeof issuedTokenSchema>;
export type HeraldEvent = NewUserCreated | IssuedToken;
export type EventType = HeraldEvent['type'];
/** The event of one type: `EventOf<'issued-token'>` is `IssuedToken`. */
export type EventOf<T extends EventType> = Extract<HeraldEvent, { type: T }>;

export const eventSchemas = {
  'new-user-created': newUserCreatedSchema,
  'issued-token': issuedTokenSchema,
} as const satisfies Record<EventType, z.ZodType>;

/** Parses a record value of any Herald event; throws a ZodError naming what is wrong. */
export const heraldEventSchema = z.discriminatedUnion('type', [newUserCreatedSchema, issuedTokenSchema]);

export function parseEvent(value: unknown): HeraldEvent {
  return heraldEventSchema.parse(value);
}
