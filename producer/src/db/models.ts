import { DataTypes, type Model, type ModelStatic, type Optional, type Sequelize } from 'sequelize';

export interface UserRow {
  id: string;
  username: string;
  email: string;
  passwordHash: string;
  firstName: string | null;
  lastName: string | null;
  /** Sign-up is 1; each profile change adds one (user-updated carries it). */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

type Defaulted<Row extends object, Keys extends keyof Row> = Model<Row, Optional<Row, Keys>>;

export interface Models {
  User: ModelStatic<Defaulted<UserRow, 'revision' | 'createdAt' | 'updatedAt'>>;
}

/**
 * The user model (refresh tokens and outbox rows are written with plain SQL on the hot paths).
 * Binds fresh model classes to an injected Sequelize (no module-level models, so two instances
 * never share state). The tables themselves come from the migrations.
 */
export function defineModels(sequelize: Sequelize): Models {
  const options = { underscored: true, freezeTableName: true };
  const User: Models['User'] = sequelize.define(
    'users',
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      username: { type: DataTypes.TEXT, allowNull: false },
      email: { type: DataTypes.TEXT, allowNull: false },
      passwordHash: { type: DataTypes.TEXT, allowNull: false },
      firstName: DataTypes.TEXT,
      lastName: DataTypes.TEXT,
      revision: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    options,
  );
  return { User };
}
