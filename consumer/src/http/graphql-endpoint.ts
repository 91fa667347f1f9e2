import type { RequestListener } from 'node:http';
import type { WsYoga } from './graphql-ws-server';

/** A GraphQL server a role serves (yoga): mounted over HTTP by app.ts, over graphql-ws by graphql-ws-server.ts. */
export type GraphQLEndpoint = WsYoga & RequestListener;
