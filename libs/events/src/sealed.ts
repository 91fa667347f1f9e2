import { CompactEncrypt, compactDecrypt } from 'jose';
import { z } from 'zod';

/**
 * Personal data on topics is sealed per user (crypto-shredding, docs/decisions/0004-crypto-shredding.md):
 * the fields travel as one JWE (RFC 7516, compact form, `dir` + `A256GCM`) under a key only that
 * user has, kept in the producer's database. Deleting the account destroys the key, so every copy
 * of every event of the user anywhere (topics, retry and dead-letter copies, backups) becomes
 * unreadable at once. JWE is a standard format: any JOSE library in any language opens it given
 * the key. The protected header names the user (`kid`), and being authenticated it binds the
 * ciphertext to that user: a record moved to another user's key does not open.
 */
export const sealedSchema = z
  .string()
  .max(16_384)
  .regex(/^[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+$/, 'must be a JWE in compact form with direct encryption');

/** What a user is: sealed under the user's key in new-user-created and user-updated. */
export const userProfileSchema = z.strictObject({
  username: z.string().min(1),
  email: z.email(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
});

/** What a user wrote: sealed under the author's key in post-created. */
export const postContentSchema = z.strictObject({
  title: z.string().min(1).max(100),
  body: z.string().min(1).max(1000),
});

export type UserProfile = z.infer<typeof userProfileSchema>;
export type PostContent = z.infer<typeof postContentSchema>;

/** A user's data key: 32 random bytes, AES-256. */
export const USER_KEY_BYTES = 32;

const HEADER = { alg: 'dir', enc: 'A256GCM' } as const;

/** Seals `fields` (validated by `schema` first) for `userId` under the user's key. */
export async function seal<T>(schema: z.ZodType<T>, fields: T, { userId, key }: { userId: string; key: Uint8Array }): Promise<string> {
  const plaintext = new TextEncoder().encode(JSON.stringify(schema.parse(fields)));
  return new CompactEncrypt(plaintext).setProtectedHeader({ ...HEADER, kid: userId }).encrypt(key);
}

/**
 * Opens what `seal` sealed for `userId`. Throws when the key is not the user's, the sealed text was
 * altered or was sealed for someone else, or what it holds does not match `schema`.
 */
export async function unseal<T>(schema: z.ZodType<T>, sealed: string, { userId, key }: { userId: string; key: Uint8Array }): Promise<T> {
  const { plaintext, protectedHeader } = await compactDecrypt(sealed, key, { keyManagementAlgorithms: [HEADER.alg], contentEncryptionAlgorithms: [HEADER.enc] });
  if (protectedHeader.kid !== userId) throw new Error('The sealed data belongs to another user');
  return schema.parse(JSON.parse(new TextDecoder().decode(plaintext)));
}
