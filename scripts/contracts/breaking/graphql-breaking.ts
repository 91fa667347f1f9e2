import { CriticalityLevel, diff, DiffRule } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

/**
 * Breaking changes from `base` to `current` of a GraphQL schema (SDL), as graphql-inspector
 * classifies them: a field, type or argument removed, a type changed, an argument made required.
 * The rule: deprecate (`@deprecated(reason: …)`) first, remove in a later release; the removal
 * of a field that `base` already deprecated is let through.
 */
export async function graphqlBreaking(base: string, current: string): Promise<string[]> {
  const changes = await diff(buildSchema(base), buildSchema(current), [DiffRule.suppressRemovalOfDeprecatedField]);
  return changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking).map((change) => `${change.path ?? ''}: ${change.message}`);
}
