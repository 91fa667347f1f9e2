import type { HealthPart } from '@herald/http';
import type { Router } from 'express';
import { z } from 'zod';
import type { GraphQLEndpoint } from './http/graphql-endpoint';

/**
 * The consumer's runtime roles, each a folder with its own wiring (start-<role>.ts):
 * - `projector`: the projection groups, the retry group and dead-letter routing (projector/);
 * - `read-api`: public GraphQL over HTTP and WebSocket, live pushes, the producer's HTTP client (read-api/);
 * - `ops`: the operator GraphQL endpoint and console, dead-letter browse and replay, failure simulation, group status (ops/).
 * One process runs all three unless CONSUMER_ROLES names fewer: at scale the read API runs as many
 * tasks as it needs, and a projection's crash loop no longer takes public reads down with it.
 */
export const ROLES = ['projector', 'read-api', 'ops'] as const;
export type Role = (typeof ROLES)[number];

/** CONSUMER_ROLES: a comma-separated subset of the roles, in any order; all three by default. */
export const consumerRoles = z
  .string()
  .default(ROLES.join(','))
  .transform((value, ctx): Role[] => {
    const names = value.split(',').map((name) => name.trim()).filter(Boolean);
    const unknown = names.filter((name) => !(ROLES as readonly string[]).includes(name));
    if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `must name roles among ${ROLES.join(', ')}; not ${unknown.join(', ')}` });
    if (names.length === 0) ctx.addIssue({ code: 'custom', message: `must name at least one role: ${ROLES.join(', ')}` });
    return ROLES.filter((role) => names.includes(role));
  });

/** What one role hands the process that runs it (main.ts): its HTTP parts, its health, its life cycle. */
export interface RunningRole {
  health: HealthPart;
  /** The GraphQL endpoints it serves, over HTTP and graphql-ws. */
  endpoints: GraphQLEndpoint[];
  /** Other routes (the console's page). */
  routers: Router[];
  /** Starts what needs no Kafka (a LISTEN, a sampler), before the server listens. */
  start(): Promise<void>;
  /** Starts what needs Kafka; main.ts calls it again, after `disconnect`, until Kafka answers. */
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Stops taking new work, finishes and commits what is under way, and lets every connection go. */
  stop(): Promise<void>;
}
