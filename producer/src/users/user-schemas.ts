import { z } from 'zod';
import { visibleText } from '../http/visible-text';

const name = visibleText({ min: 1, max: 100 });

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

/**
 * A profile change: any of username, e-mail and names (null clears a name). A new e-mail needs
 * the current password: whoever holds a stolen access token must not take the account's e-mail.
 */
export const profileChangeSchema = z
  .strictObject({
    username: signUpSchema.shape.username.optional(),
    email: signUpSchema.shape.email.optional(),
    firstName: name.nullish(),
    lastName: name.nullish(),
    currentPassword: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters').optional(),
  })
  .refine((change) => change.username !== undefined || change.email !== undefined || change.firstName !== undefined || change.lastName !== undefined, {
    message: 'must change at least one of username, email, firstName, lastName',
  })
  .refine((change) => change.email === undefined || change.currentPassword !== undefined, { path: ['currentPassword'], message: 'is required to change the e-mail' });

export type ProfileChange = z.output<typeof profileChangeSchema>;

/** Deleting the account needs the current password: an access token alone is not enough. */
export const accountDeletionSchema = z.strictObject({
  currentPassword: z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
});

export const userIdSchema = z.uuid('must be a UUID');
