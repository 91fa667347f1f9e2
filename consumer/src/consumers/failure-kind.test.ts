import { UnavailableError, ValidationError } from '@herald/core';
import { ConnectionRefusedError, DatabaseError } from 'sequelize';
import { failureKind } from './failure-kind';

const databaseError = (code: string) => new DatabaseError(Object.assign(new Error('server said no'), { code, sql: 'INSERT', parameters: [] }) as never);

describe('failureKind', () => {
  it('calls a database that cannot be reached unavailable, so the batch is read again', () => {
    expect(failureKind(new ConnectionRefusedError(new Error('ECONNREFUSED')))).toBe('unavailable');
    expect(failureKind(databaseError('57P01'))).toBe('unavailable');
  });

  it('calls deadlocks, serialization failures, timeouts and errors flagged retriable retriable', () => {
    expect(failureKind(databaseError('40P01'))).toBe('retriable');
    expect(failureKind(databaseError('40001'))).toBe('retriable');
    expect(failureKind(databaseError('57014'))).toBe('retriable');
    expect(failureKind(new UnavailableError('the producer is away'))).toBe('retriable');
  });

  it('calls data the database refuses, errors flagged not retriable and bugs permanent', () => {
    expect(failureKind(databaseError('22021'))).toBe('permanent'); // NUL in a text value
    expect(failureKind(databaseError('23505'))).toBe('permanent');
    expect(failureKind(new ValidationError('no'))).toBe('permanent');
    expect(failureKind(new TypeError('cannot read properties of undefined'))).toBe('permanent');
    expect(failureKind(undefined)).toBe('permanent');
  });
});
