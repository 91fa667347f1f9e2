import { z } from 'zod';

// Control characters (including NUL, which PostgreSQL refuses in text) and unpaired surrogates
// (which cannot be stored as UTF-8) are rejected, not silently altered.
const CONTROL = /\p{Cc}/u;
// Format characters (category Cf: bidi controls such as U+202E, zero-width spaces and joiners,
// U+FEFF) and line/paragraph separators are invisible, or reorder the text around a name where
// it is shown (a "Trojan Source" trick); rejected rather than stripped, so what is stored is
// what was sent.
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}]/u;
const printable = (value: string) => value.isWellFormed() && !CONTROL.test(value);

const name = z
  .string()
  // Before trimming, which would quietly drop a leading or trailing U+FEFF.
  .refine((value) => !INVISIBLE.test(value), 'must not contain invisible or bidirectional formatting characters')
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .refine(printable, 'must not contain control characters or unpaired surrogates')
  .transform((value) => value.normalize('NFC'));

export const signUpSchema = z.strictObject({
  username: z.string().regex(/^[A-Za-z0-9_.-]{3,32}$/, 'must be 3 to 32 letters, digits, ".", "_" or "-"'),
  email: z
    .email('must be a valid e-mail address')
    .max(254, 'must be at most 254 characters')
    .transform((value) => value.toLowerCase()),
  // NIST SP 800-63B: at least 8 characters; the upper bound only caps the hashing work.
  password: z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters'),
  firstName: name.nullish(),
  lastName: name.nullish(),
});

export type SignUpInput = z.output<typeof signUpSchema>;

export const userIdSchema = z.uuid('must be a UUID');
