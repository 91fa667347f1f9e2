import { z } from 'zod';

// Control characters (including NUL, which PostgreSQL refuses in text) and unpaired surrogates
// (which cannot be stored as UTF-8) are rejected, not silently altered.
const CONTROL = /\p{Cc}/u;
const printable = (value: string) => value.isWellFormed() && !CONTROL.test(value);

const name = z
  .string()
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
