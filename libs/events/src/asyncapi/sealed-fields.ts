import { z } from 'zod';
import type { EventType } from '../schemas';
import { postContentSchema, SEALING, userProfileSchema } from '../sealed';

/** What a sealed field holds once opened, by the contract's schema name. */
export const SEALED_CONTENTS = { UserProfile: userProfileSchema, PostContent: postContentSchema } as const;

/**
 * The payload field of each event that travels sealed (sealed.ts), whose key seals it (`kid`, the
 * payload field naming that user) and what it holds. A test checks this against the event schemas,
 * so a sealed field cannot be added without being described.
 */
export const SEALED_FIELDS: Partial<Record<EventType, { field: string; owner: string; contents: keyof typeof SEALED_CONTENTS }>> = {
  'new-user-created': { field: 'profile', owner: 'userId', contents: 'UserProfile' },
  'user-updated': { field: 'profile', owner: 'userId', contents: 'UserProfile' },
  'post-created': { field: 'content', owner: 'authorId', contents: 'PostContent' },
};

type JsonSchema = Record<string, unknown>;

/** A zod schema as the contract's JSON Schema (draft-07, the dialect AsyncAPI's schema object extends). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-07' }) as JsonSchema;
  return rest;
}

/**
 * The JSON Schema of a sealed field: the string's format as zod checks it, plus what a reader
 * needs to open it (a JOSE library and the owner's key) and the schema of what is inside.
 */
export function describeSealed(string: JsonSchema, { owner, contents }: { owner: string; contents: keyof typeof SEALED_CONTENTS }): JsonSchema {
  return {
    ...string,
    contentMediaType: 'application/jose',
    description:
      `Sealed personal data: a JWE in compact serialisation (RFC 7516), alg "${SEALING.alg}", enc "${SEALING.enc}", ` +
      `under the data key of the user named by payload.${owner}, which the protected header carries as "kid". ` +
      `Opened, it is the JSON of components.schemas.${contents} (x-herald-sealed.plaintext). ` +
      'Deleting the account destroys the key, so every copy becomes unreadable (docs/decisions/0004-crypto-shredding.md).',
    'x-herald-sealed': { alg: SEALING.alg, enc: SEALING.enc, kid: `payload.${owner}`, plaintext: { $ref: `#/components/schemas/${contents}` } },
  };
}
