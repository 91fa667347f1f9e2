import type { Server } from 'node:http';
import type { Logger } from '@herald/core';
import { OPERATOR_TOKEN_HEADER } from '@herald/http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { HeraldYoga } from './create-yoga';
import type { StreamBudget } from './stream-budget';
import { resultWithoutEcho, withoutEcho } from './no-echo';

type Enveloped = ReturnType<HeraldYoga['getEnveloped']>;
type Args = ExecutionArgs & { rootValue: Pick<Enveloped, 'execute' | 'subscribe'> };

/** The connectionParams that stand for HTTP headers: the credentials, as strings, nothing else. */
function headersFrom(connectionParams: Readonly<Record<string, unknown>> | undefined): Headers {
  const headers = new Headers();
  const pick = (...names: string[]) => names.map((name) => connectionParams?.[name]).find((value): value is string => typeof value === 'string');
  const authorization = pick('authorization', 'Authorization');
  const operatorToken = pick(OPERATOR_TOKEN_HEADER, 'X-Operator-Token');
  try {
    if (authorization) headers.set('authorization', authorization);
    if (operatorToken) headers.set(OPERATOR_TOKEN_HEADER, operatorToken);
  } catch {
    // A value that cannot be a header (a newline in it) is no credential.
  }
  return headers;
}

/**
 * graphql-ws on the same port and path as HTTP GraphQL, run through yoga's envelop so
 * subscriptions get the same schema, context, limits and error masking. A subscription that
 * cannot start (unparsable, invalid, over a limit) gets an error on its id; the socket, and the
 * client's other subscriptions on it, go on.
 */
export function attachGraphQLWs({
  server,
  yoga,
  logger,
  maxPayloadBytes,
  streams,
  maxSubscriptionsPerSocket,
}: {
  server: Server;
  yoga: HeraldYoga;
  logger: Logger;
  maxPayloadBytes: number;
  /** Sockets count against the client's stream budget: over it, the upgrade gets a 429. */
  streams: StreamBudget;
  maxSubscriptionsPerSocket: number;
}) {
  const wss = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    maxPayload: maxPayloadBytes,
    verifyClient: ({ req }, accept) => {
      const release = streams.take(req);
      if (!release) return accept(false, 429, 'Too many open subscription streams from this client');
      req.socket.once('close', release);
      accept(true);
    },
  });
  const disposable = useServer(
    {
      execute: async (args) => resultWithoutEcho(await (args as Args).rootValue.execute(args)),
      subscribe: async (args) => {
        const result = await (args as Args).rootValue.subscribe(args);
        return Symbol.asyncIterator in result ? result : resultWithoutEcho(result);
      },
      onSubscribe: async (ctx, _id, payload) => {
        // graphql-ws holds the socket's operations, this one included, from the moment each
        // arrives until it completes (or the client completes it), so the count cannot race.
        if (Object.keys(ctx.subscriptions).length > maxSubscriptionsPerSocket) {
          return [new GraphQLError(`Too many subscriptions on this connection (at most ${maxSubscriptionsPerSocket}); complete some first`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })];
        }
        try {
          const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
            ...ctx,
            req: ctx.extra.request,
            socket: ctx.extra.socket,
            params: payload,
            request: new Request(`http://localhost${yoga.graphqlEndpoint}`, { headers: headersFrom(ctx.connectionParams) }),
          });
          const document = parse(payload.query);
          const errors = validate(schema, document);
          if (errors.length > 0) return errors.map(withoutEcho);
          const args: Args = {
            schema,
            operationName: payload.operationName,
            document,
            variableValues: payload.variables,
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe },
          };
          return args;
        } catch (error) {
          if (error instanceof GraphQLError) return [withoutEcho(error)];
          logger.error({ err: error }, 'graphql-ws subscription could not start');
          return [new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })];
        }
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
