import { DataTypes, type Model, type ModelStatic, type Optional, type Sequelize } from 'sequelize';

export interface UserRow {
  id: string;
  username: string;
  email: string;
  passwordHash: string;
  firstName: string | null;
  lastName: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RefreshTokenRow {
  id: string;
  userId: string;
  tokenHash: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface OutboxEventRow {
  id: string;
  eventId: string;
  topic: string;
  key: string;
  value: object;
  headers: Record<string, string>;
  createdAt: Date;
  sentAt: Date | null;
}

type Defaulted<Row extends object, Keys extends keyof Row> = Model<Row, Optional<Row, Keys>>;

export interface Models {
  User: ModelStatic<Defaulted<UserRow, 'createdAt' | 'updatedAt'>>;
  RefreshToken: ModelStatic<Defaulted<RefreshTokenRow, 'usedAt' | 'revokedAt' | 'createdAt'>>;
  OutboxEvent: ModelStatic<Defaulted<OutboxEventRow, 'id' | 'createdAt' | 'sentAt'>>;
}

/**
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
      createdAt: DataTypes.DATE,
      updatedAt: DataTypes.DATE,
    },
    options,
  );
  const RefreshToken: Models['RefreshToken'] = sequelize.define(
    'refresh_tokens',
    {
      id: { type: DataTypes.UUID, primaryKey: true },
      userId: { type: DataTypes.UUID, allowNull: false },
      tokenHash: { type: DataTypes.TEXT, allowNull: false },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      usedAt: DataTypes.DATE,
      revokedAt: DataTypes.DATE,
      createdAt: DataTypes.DATE,
    },
    { ...options, updatedAt: false },
  );
  const OutboxEvent: Models['OutboxEvent'] = sequelize.define(
    'outbox_events',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      eventId: { type: DataTypes.UUID, allowNull: false },
      topic: { type: DataTypes.TEXT, allowNull: false },
      key: { type: DataTypes.TEXT, allowNull: false },
      value: { type: DataTypes.JSON, allowNull: false },
      headers: { type: DataTypes.JSONB, allowNull: false },
      createdAt: DataTypes.DATE,
      sentAt: DataTypes.DATE,
    },
    { ...options, updatedAt: false },
  );
  return { User, RefreshToken, OutboxEvent };
}
