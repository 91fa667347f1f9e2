import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '@herald/core';
import { OPERATOR_TOKEN_HEADER } from '@herald/http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import type { ServerOptions as GraphQLWsOptions } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type ServerOptions } from 'ws';
import type { StreamBudget } from './stream-budget';
import { resultWithoutEcho, withoutEcho } from './no-echo';

/** What graphql-ws needs of a yoga: its path, and its envelop (schema, context, plugins, limits). */
export type WsYoga = Pick<YogaServerInstance<Record<string, any>, Record<string, any>>, 'graphqlEndpoint' | 'getEnveloped'>;
type Enveloped = ReturnType<WsYoga['getEnveloped']>;
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

/** An error as a socket gets it: no echo of the request, and no HTTP status (yoga drops it from HTTP answers too). */
function forTheSocket(error: GraphQLError): GraphQLError {
  const cleaned = withoutEcho(error);
  if (!('http' in cleaned.extensions)) return cleaned;
  const { http: _http, ...extensions } = cleaned.extensions;
  return new GraphQLError(cleaned.message, { nodes: cleaned.nodes, source: cleaned.source, positions: cleaned.positions, path: cleaned.path, extensions });
}

/**
 * graphql-ws on the same port and paths as HTTP GraphQL (the public API and the operators'), each
 * path run through its own yoga's envelop so subscriptions get that endpoint's schema, context,
 * plugins (the operator check on /ops/graphql), limits and error masking. A subscription that
 * cannot start (refused, unparsable, invalid, over a limit) gets an error on its id; the socket,
 * and the client's other subscriptions on it, go on. Sockets of every path share the stream budget.
 */
export function attachGraphQLWs({
  server,
  yogas,
  logger,
  maxPayloadBytes,
  streams,
  maxSubscriptionsPerSocket,
}: {
  server: Server;
  yogas: WsYoga[];
  logger: Logger;
  maxPayloadBytes: number;
  /** Sockets count against the client's stream budget: over it, the upgrade gets a 429. */
  streams: StreamBudget;
  maxSubscriptionsPerSocket: number;
}) {
  const verifyClient: ServerOptions['verifyClient'] = ({ req }, accept) => {
    const release = streams.take(req);
    if (!release) return accept(false, 429, 'Too many open subscription streams from this client');
    req.socket.once('close', release);
    accept(true);
  };
  const endpoints = new Map(
    yogas.map((yoga) => {
      // noServer: one upgrade listener (below) hands each socket to the server of its path; two
      // servers listening on the same HTTP server would each refuse the other's path.
      const wss = new WebSocketServer({ noServer: true, maxPayload: maxPayloadBytes, verifyClient });
      const disposable = useServer(subscriptionsOf(yoga, { logger, maxSubscriptionsPerSocket }), wss);
      wss.on('error', (error) => logger.warn({ err: error }, 'graphql-ws server error'));
      return [yoga.graphqlEndpoint, { wss, disposable }] as const;
    }),
  );
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const wss = endpoints.get((req.url ?? '').split('?')[0]!)?.wss;
    if (!wss) {
      socket.on('error', () => socket.destroy());
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);
  return {
    async close() {
      server.off('upgrade', onUpgrade);
      for (const { wss, disposable } of endpoints.values()) {
        await disposable.dispose();
        await new Promise<void>((resolveClose) => wss.close(() => resolveClose()));
      }
    },
  };
}

/** graphql-ws' handlers for one yoga: each subscription parsed, validated and run through its envelop. */
function subscriptionsOf(yoga: WsYoga, { logger, maxSubscriptionsPerSocket }: { logger: Logger; maxSubscriptionsPerSocket: number }): GraphQLWsOptions<Record<string, unknown> | undefined, Extra> {
  return {
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
        if (errors.length > 0) return errors.map(forTheSocket);
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
        if (error instanceof GraphQLError) return [forTheSocket(error)];
        logger.error({ err: error }, 'graphql-ws subscription could not start');
        return [new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })];
      }
    },
  };
}
