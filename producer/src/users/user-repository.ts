import { ConflictError } from '@herald/core';
import { UniqueConstraintError, where, fn, col, literal, type Transaction } from 'sequelize';
import type { Models, UserRow } from '../db/models';

/** What the API shows of a user. Never the password hash. */
export interface PublicUser {
  id: string;
  username: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  createdAt: string;
}

export type NewUser = Pick<UserRow, 'id' | 'username' | 'email' | 'passwordHash' | 'firstName' | 'lastName'>;

const toPublicUser = (row: UserRow): PublicUser => ({
  id: row.id,
  username: row.username,
  email: row.email,
  firstName: row.firstName,
  lastName: row.lastName,
  createdAt: row.createdAt.toISOString(),
});

// Unique indexes from the migration, by the field they protect.
const UNIQUE_FIELDS: Record<string, 'username' | 'email'> = {
  users_username_unique: 'username',
  users_email_unique: 'email',
};

const conflict = (field: 'username' | 'email') =>
  new ConflictError(`${field === 'username' ? 'Username' : 'E-mail'} is already taken`, { details: [{ path: field, message: 'already taken' }] });

/** The write's error, or a ConflictError when a unique index refused it (two writers racing for a name). */
function asConflict(error: unknown): unknown {
  // The index name tells which field clashed.
  const index = error instanceof UniqueConstraintError ? (error.parent as { constraint?: string }).constraint : undefined;
  const field = index ? UNIQUE_FIELDS[index] : undefined;
  return field ? conflict(field) : error;
}

/** A profile change: the fields given change (a name may be cleared with null), the others stay. */
export interface ProfileChanges {
  username?: string;
  email?: string;
  firstName?: string | null;
  lastName?: string | null;
}

/** A user after a change, at its new revision. */
export interface UpdatedUser extends PublicUser {
  revision: number;
  updatedAt: string;
}

export type UserRepository = ReturnType<typeof createUserRepository>;

/** Data access for users; returns plain objects. */
export function createUserRepository({ models }: { models: Pick<Models, 'User'> }) {
  const { User } = models;
  const byLower = (field: 'username' | 'email', value: string) => where(fn('lower', col(field)), value.toLowerCase());

  return {
    async create(user: NewUser, transaction: Transaction): Promise<PublicUser> {
      try {
        const created = await User.create(user, { transaction });
        return toPublicUser(created.get({ plain: true }));
      } catch (error) {
        throw asConflict(error);
      }
    },

    /** Changes the profile and counts the change (revision + 1), in the caller's transaction. */
    async updateProfile(id: string, changes: ProfileChanges, transaction: Transaction): Promise<UpdatedUser | undefined> {
      try {
        const [, rows] = await User.update({ ...changes, revision: literal('revision + 1') as unknown as number }, { where: { id }, returning: true, transaction });
        const row = rows[0]?.get({ plain: true });
        return row && { ...toPublicUser(row), revision: row.revision, updatedAt: row.updatedAt.toISOString() };
      } catch (error) {
        throw asConflict(error);
      }
    },

    /** Throws a ConflictError when the username or e-mail is taken; a cheap check before hashing. */
    async assertAvailable({ username, email }: { username: string; email: string }): Promise<void> {
      const taken = await User.findOne({ where: byLower('username', username), attributes: ['id'] });
      if (taken) throw conflict('username');
      const takenEmail = await User.findOne({ where: byLower('email', email), attributes: ['id'] });
      if (takenEmail) throw conflict('email');
    },

    async findById(id: string): Promise<PublicUser | undefined> {
      const row = await User.findByPk(id);
      return row ? toPublicUser(row.get({ plain: true })) : undefined;
    },

    /** For a password change only: the user's password hash, which never leaves the auth code. */
    async findPasswordHash(id: string): Promise<string | undefined> {
      const row = await User.findByPk(id, { attributes: ['passwordHash'] });
      return row ? (row.get('passwordHash') as string) : undefined;
    },

    async setPasswordHash(id: string, passwordHash: string, transaction: Transaction): Promise<void> {
      await User.update({ passwordHash }, { where: { id }, transaction });
    },

    /** For login only: the id and the password hash, which never leave the auth code. */
    async findCredentials(username: string): Promise<{ id: string; passwordHash: string } | undefined> {
      const row = await User.findOne({ where: byLower('username', username), attributes: ['id', 'passwordHash'] });
      return row ? { id: row.get('id') as string, passwordHash: row.get('passwordHash') as string } : undefined;
    },
  };
}
