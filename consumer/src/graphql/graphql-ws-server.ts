import type { Server } from 'node:http';
import type { Logger } from '@herald/core';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { HeraldYoga } from './create-yoga';

/**
 * graphql-ws on the same port and path as HTTP GraphQL, run through yoga's envelop so
 * subscriptions get the same schema, context, limits and error masking.
 */
export function attachGraphQLWs({ server, yoga, logger }: { server: Server; yoga: HeraldYoga; logger: Logger }) {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  const disposable = useServer(
    {
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          request: new Request(`http://localhost${yoga.graphqlEndpoint}`, { headers: ctx.connectionParams as Record<string, string> | undefined }),
        });
        const args = {
          schema,
          operationName: payload.operationName,
          document: parse(payload.query),
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
    },
    wss,
  );
  wss.on('error', (error) => logger.warn({ err: error }, 'graphql-ws server error'));
  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolveClose) => wss.close(() => resolveClose()));
    },
  };
}
