import type { HeraldEvent, IssuedToken, NewUserCreated } from '@herald/events';
import type { Transaction } from 'sequelize';
import type { TokensReadModel } from '../read-models/tokens-read-model';
import type { Located, UsersReadModel } from '../read-models/users-read-model';

export interface Projection {
  eventType: HeraldEvent['type'];
  /**
   * Writes the events into the read model inside `transaction`; returns how many rows were new
   * (the rest were redeliveries, which change nothing). A failure
   * is taken as one that may pass (retried with backoff, dead-lettered after the last attempt);
   * events that can never be applied are caught earlier, by the schema.
   */
  apply(records: Located<HeraldEvent>[], transaction: Transaction): Promise<number>;
}

export function createUsersProjection({ users }: { users: UsersReadModel }): Projection {
  return {
    eventType: 'new-user-created',
    apply: (records, transaction) => users.insert(records as Located<NewUserCreated>[], transaction),
  };
}

/** A token whose user is not projected yet fails (UnknownUserError) and is retried: the user's event travels on another topic. */
export function createTokensProjection({ tokens }: { tokens: TokensReadModel }): Projection {
  return {
    eventType: 'issued-token',
    apply: (records, transaction) => tokens.insert(records as Located<IssuedToken>[], transaction),
  };
}
