import { UnavailableError, ValidationError } from '@herald/core';
import { ConnectionRefusedError, DatabaseError } from 'sequelize';
import { classifyFailure } from './classify-failure';

const databaseError = (code: string) => new DatabaseError(Object.assign(new Error('server said no'), { code, sql: 'INSERT', parameters: [] }) as never);

describe('classifyFailure', () => {
  it('calls a database that cannot be reached unavailable, so the batch is read again', () => {
    expect(classifyFailure(new ConnectionRefusedError(new Error('ECONNREFUSED')))).toBe('unavailable');
    expect(classifyFailure(databaseError('57P01'))).toBe('unavailable');
  });

  it('calls deadlocks, serialization failures, timeouts and errors flagged retriable retriable', () => {
    expect(classifyFailure(databaseError('40P01'))).toBe('retriable');
    expect(classifyFailure(databaseError('40001'))).toBe('retriable');
    expect(classifyFailure(databaseError('57014'))).toBe('retriable');
    expect(classifyFailure(new UnavailableError('the producer is away'))).toBe('retriable');
  });

  it('calls data the database refuses, errors flagged not retriable and bugs permanent', () => {
    expect(classifyFailure(databaseError('22021'))).toBe('permanent'); // NUL in a text value
    expect(classifyFailure(databaseError('23505'))).toBe('permanent');
    expect(classifyFailure(new ValidationError('no'))).toBe('permanent');
    expect(classifyFailure(new TypeError('cannot read properties of undefined'))).toBe('permanent');
    expect(classifyFailure(undefined)).toBe('permanent');
  });
});
