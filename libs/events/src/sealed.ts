import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Personal data on topics is sealed per user (crypto-shredding, docs/decisions/0004-crypto-shredding.md):
 * the fields travel as one JWE (RFC 7516, compact form, `dir` + `A256GCM`) under a key only that
 * user has, kept in the producer's database. Deleting the account destroys the key, so every copy
 * of every event of the user anywhere (topics, retry and dead-letter copies, backups) becomes
 * unreadable at once. JWE is a standard format: any JOSE library in any language opens it given
 * the key (sealed.test.ts opens it with jose, and opens jose's). The protected header names the
 * user (`kid`), and being authenticated it binds the ciphertext to that user: a record moved to
 * another user's key does not open.
 *
 * The AES-GCM is node:crypto's, called synchronously: about a tenth of the CPU of a WebCrypto
 * round trip per event (`npm run bench:sealing`), which matters at a projection's rates. The
 * compact form around it is five base64url parts joined by dots.
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

/** How sealed data is encrypted (JWE `alg` and `enc`); the AsyncAPI contract states them. */
export const SEALING = { alg: 'dir', enc: 'A256GCM' } as const;
const ALG = SEALING.alg;
const ENC = SEALING.enc;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const headerOf = (userId: string) => Buffer.from(JSON.stringify({ alg: ALG, enc: ENC, kid: userId })).toString('base64url');

/** Seals any JSON value for `userId` under the user's key; `seal` is the checked way in. */
export function sealValue(value: unknown, { userId, key }: { userId: string; key: Uint8Array }): string {
  const header = headerOf(userId);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // RFC 7516 §5.1: the additional authenticated data is the encoded protected header.
  cipher.setAAD(Buffer.from(header, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return [header, '', iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** Seals `fields` (validated by `schema` first: nothing else is sealed) for `userId` under the user's key. */
export function seal<T>(schema: z.ZodType<T>, fields: T, owner: { userId: string; key: Uint8Array }): string {
  return sealValue(schema.parse(fields), owner);
}

/**
 * Opens what `seal` (or any JOSE library, with the same algorithms) sealed for `userId`. Throws
 * when the key is not the user's, the sealed text was altered or was sealed for someone else, or
 * what it holds does not match `schema`. The error says which, never what the data is.
 */
export function unseal<T>(schema: z.ZodType<T>, sealed: string, { userId, key }: { userId: string; key: Uint8Array }): T {
  const [header = '', encryptedKey, iv = '', ciphertext = '', tag = '', ...rest] = sealed.split('.');
  if (encryptedKey !== '' || rest.length > 0) throw new Error('The sealed data is not a JWE with direct encryption');
  const { alg, enc, kid } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown; enc?: unknown; kid?: unknown };
  if (alg !== ALG || enc !== ENC) throw new Error(`The sealed data uses ${String(alg)}/${String(enc)}, not ${ALG}/${ENC}`);
  if (kid !== userId) throw new Error('The sealed data belongs to another user');
  const ivBytes = Buffer.from(iv, 'base64url');
  const tagBytes = Buffer.from(tag, 'base64url');
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new Error('The sealed data has a wrong IV or tag length');
  const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(header, 'ascii'));
  decipher.setAuthTag(tagBytes);
  const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  return schema.parse(JSON.parse(plaintext.toString('utf8')));
}
