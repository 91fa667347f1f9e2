import type { Logger } from '@herald/core';
import type { OperatorCheck } from '@herald/http';
import { createSchema, createYoga, type YogaServerInstance } from 'graphql-yoga';
import { sharedYogaOptions, type GraphQLOptions } from '../../http/shared-yoga-options';
import { issuedTokenTypeDefs } from '../../read-api/graphql/type-defs';
import { consoleTypeDefs } from './console-type-defs';
import type { OpsContext, OpsServices } from './ops-context';
import { opsTypeDefs } from './ops-type-defs';
import { opsResolvers } from './resolvers';
import { useOperatorOnly } from './use-operator-only';

export type OpsYoga = YogaServerInstance<object, OpsContext>;

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
}: {
  services: OpsServices;
  checkOperator: OperatorCheck;
  logger: Logger;
  options: Pick<GraphQLOptions, 'limits' | 'introspection'>;
}): OpsYoga {
  const shared = sharedYogaOptions({ logger, options });
  return createYoga<object, OpsContext>({
    ...shared,
    schema: createSchema<OpsContext>({ typeDefs: [issuedTokenTypeDefs, consoleTypeDefs, opsTypeDefs], resolvers: opsResolvers }),
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
