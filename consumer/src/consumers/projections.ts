import type { HeraldEvent, IssuedToken, NewUserCreated } from '@herald/events';
import type { Transaction } from 'sequelize';
import type { TokensReadModel, TokenView } from '../read-models/tokens-read-model';
import type { Located, UsersReadModel, UserView } from '../read-models/users-read-model';

/** What a projection wrote, announced to subscribers once its transaction has committed. */
export type Projected = { kind: 'user'; user: UserView } | { kind: 'token'; token: TokenView };

export interface Projection {
  eventType: HeraldEvent['type'];
  /**
   * Writes the events into the read model inside `transaction`; returns what was new. A failure
   * is taken as one that may pass (retried with backoff, dead-lettered after the last attempt);
   * events that can never be applied are caught earlier, by the schema.
   */
  apply(records: Located<HeraldEvent>[], transaction: Transaction): Promise<Projected[]>;
}

export function createUsersProjection({ users }: { users: UsersReadModel }): Projection {
  return {
    eventType: 'new-user-created',
    async apply(records, transaction) {
      const inserted = await users.insert(records as Located<NewUserCreated>[], transaction);
      return inserted.map((user) => ({ kind: 'user', user }));
    },
  };
}

/** A token whose user is not projected yet fails (UnknownUserError) and is retried: the user's event travels on another topic. */
export function createTokensProjection({ tokens }: { tokens: TokensReadModel }): Projection {
  return {
    eventType: 'issued-token',
    async apply(records, transaction) {
      const inserted = await tokens.insert(records as Located<IssuedToken>[], transaction);
      return inserted.map((token) => ({ kind: 'token', token }));
    },
  };
}
