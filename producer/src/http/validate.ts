import { ValidationError } from '@herald/core';
import type { z } from 'zod';

/**
 * Parses input with a zod schema or throws a 400 naming each offending field. Messages describe
 * the rule, never the value, so a mistyped password is not echoed back or logged.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.output<S> {
  // reportInput lets us tell "missing" from "wrong type"; the input itself is never put in a message.
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const details = result.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: key, message: 'is not a known field' }));
    const path = issue.path.join('.');
    if (issue.code !== 'invalid_type') return [{ path, message: issue.message }];
    if (path === '' && issue.expected === 'object') return [{ path, message: `must be a JSON object` }];
    return [{ path, message: issue.input === undefined ? 'is required' : `must be a ${issue.expected}` }];
  });
  const summary = details.map(({ path, message }) => (path ? `${path} ${message}` : message)).join('; ');
  throw new ValidationError(`Invalid ${what}: ${summary}`, { details });
}
