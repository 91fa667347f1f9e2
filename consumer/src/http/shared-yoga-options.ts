import type { Logger } from '@herald/core';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { useNoEcho } from './no-echo';

export interface GraphQLLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
}

export interface GraphQLOptions {
  limits: GraphQLLimits;
  /** Introspection and "did you mean" suggestions (both tell the schema to whoever asks). */
  introspection: boolean;
  graphiql: boolean;
  /** Browser origins allowed by CORS on the public endpoint; any other gets no CORS headers (same origin only). */
  corsOrigins: string[];
}

const noIntrospection = (): Plugin => ({
  onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule),
});

/**
 * What both GraphQL endpoints (the public one and the operators') have alike: unexpected errors
 * masked, yoga's logs through the service's logger, no part of a request echoed in an error, and
 * the abuse limits: depth, cost, aliases, tokens, directives, CSRF prevention, introspection as
 * configured.
 */
export function sharedYogaOptions({ logger, options }: { logger: Logger; options: Pick<GraphQLOptions, 'limits' | 'introspection'> }) {
  const { limits } = options;
  const plugins = [
    // Form posts and header-less GETs (what another site can make a browser send) are refused.
    useCSRFPrevention(),
    maxTokensPlugin({ n: limits.maxTokens, exposeLimits: true }),
    maxDepthPlugin({ n: limits.maxDepth, exposeLimits: true }),
    maxAliasesPlugin({ n: limits.maxAliases, exposeLimits: true }),
    maxDirectivesPlugin({ n: limits.maxDirectives, exposeLimits: true }),
    costLimitPlugin({ maxCost: limits.maxCost, exposeLimits: true }),
    ...(options.introspection ? [] : [noIntrospection(), blockFieldSuggestionsPlugin()]),
    useNoEcho(),
  ];
  return {
    maskedErrors: true,
    landingPage: false,
    logging: {
      debug: (...args: unknown[]) => logger.debug(args.map(String).join(' ')),
      info: (...args: unknown[]) => logger.info(args.map(String).join(' ')),
      warn: (...args: unknown[]) => logger.warn(args.map(String).join(' ')),
      error: (...args: unknown[]) => logger.error({ err: args.find((arg) => arg instanceof Error) }, args.filter((arg) => !(arg instanceof Error)).map(String).join(' ') || 'graphql error'),
    },
    plugins,
  };
}
