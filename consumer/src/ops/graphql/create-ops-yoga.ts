import { join } from 'node:path';
import type { Logger } from '@herald/core';
import type { OperatorCheck } from '@herald/http';
import type { GraphQLSchema } from 'graphql';
import { createSchema, createYoga, type YogaServerInstance } from 'graphql-yoga';
import { readSdl } from '../../http/read-sdl';
import { sharedYogaOptions, type GraphQLOptions } from '../../http/shared-yoga-options';
import type { OpsContext, OpsServices } from './ops-context';
import { opsResolvers } from './resolvers';
import { useOperatorOnly } from './use-operator-only';

export type OpsYoga = YogaServerInstance<object, OpsContext>;

/** The operators' schema's SDL: IssuedToken (shared with the public schema), the console's types, the rest. */
export const OPS_SCHEMA_FILES = [join(__dirname, '..', '..', 'read-api', 'graphql', 'issued-token.graphql'), join(__dirname, 'console.graphql'), join(__dirname, 'schema.graphql')];

/** The operators' schema with its resolvers: what /ops/graphql serves, and what docs/contracts/ops.graphql prints. */
/** Where the operators' schema is served as SDL, to operators (docs/contracts/ops.graphql is the same text). */
export const OPS_SDL_PATH = '/ops/schema.graphql';

export function createOpsSchema(): GraphQLSchema {
  return createSchema<OpsContext>({ typeDefs: readSdl(OPS_SCHEMA_FILES), resolvers: opsResolvers });
}

/**
 * The operators' GraphQL server on /ops/graphql (the console's API, the consumer groups, the
 * producer's status), over HTTP, SSE and graphql-ws like the public one, with its abuse limits
 * (shared-yoga-options.ts). The operator token is checked once per operation, before anything
 * else (use-operator-only.ts). No GraphiQL, and no CORS: the console is served from this origin.
 */
export function createOpsYoga({
  services,
  checkOperator,
  logger,
  options,
  schema = createOpsSchema(),
}: {
  services: OpsServices;
  checkOperator: OperatorCheck;
  logger: Logger;
  options: Pick<GraphQLOptions, 'limits' | 'introspection'>;
  /** Given when the caller also prints it (start-ops.ts serves the SDL): built once. */
  schema?: GraphQLSchema;
}): OpsYoga {
  const shared = sharedYogaOptions({ logger, options });
  return createYoga<object, OpsContext>({
    ...shared,
    schema,
    graphqlEndpoint: '/ops/graphql',
    graphiql: false,
    cors: false,
    context: () => {
      let producerStatus: ReturnType<OpsServices['producerStatus']> | undefined;
      return { ...services, producerStatusOnce: () => (producerStatus ??= services.producerStatus()) };
    },
    // The operator check first: a caller without the token meets no other plugin's answer.
    plugins: [useOperatorOnly(checkOperator), ...shared.plugins],
  });
}
