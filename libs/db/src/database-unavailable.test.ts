import { ConnectionRefusedError, DatabaseError, UniqueConstraintError } from 'sequelize';
import { isDatabaseUnavailable } from './database-unavailable';

const databaseError = (code: string) => new DatabaseError(Object.assign(new Error('server said no'), { code, sql: 'SELECT 1', parameters: [] }) as never);

describe('isDatabaseUnavailable', () => {
  it('is true when the server cannot be reached or is shutting down', () => {
    expect(isDatabaseUnavailable(new ConnectionRefusedError(new Error('ECONNREFUSED')))).toBe(true);
    expect(isDatabaseUnavailable(databaseError('57P01'))).toBe(true); // admin shutdown
    expect(isDatabaseUnavailable(databaseError('08006'))).toBe(true); // connection failure
  });

  it('is false for a problem with the statement or the data', () => {
    expect(isDatabaseUnavailable(databaseError('23503'))).toBe(false); // foreign key violation
    expect(isDatabaseUnavailable(new UniqueConstraintError({}))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x'))).toBe(false);
  });
});
