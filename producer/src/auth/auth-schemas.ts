import { signUpSchema } from '../users/user-schemas';
import { z } from 'zod';

// Login does not repeat the sign-up rules: it only bounds the input; a wrong value is a 401.
// Control characters are refused: no username has one, and PostgreSQL text cannot hold NUL.
export const loginSchema = z.strictObject({
  username: z
    .string()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters')
    .refine((value) => !/\p{Cc}/u.test(value), 'must not contain control characters'),
  password: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
});

export const refreshSchema = z.strictObject({
  refreshToken: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
});

/** A new password follows the sign-up rules; the current one is only bounded (a wrong one is a 401). */
export const passwordChangeSchema = z.strictObject({
  currentPassword: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
  newPassword: signUpSchema.shape.password,
});
