import type { AsUser } from '../../../producer/producer-http-client';
import type { GraphQLContext } from '../context';

/**
 * The viewer as the producer's HTTP client passes them on: their own access token, as it came,
 * and their address. The token is checked here first, so an anonymous caller costs the producer
 * nothing; the producer checks it again, takes the actor from it and owns the write.
 */
export const asViewer = async ({ viewer, request, clientIp }: GraphQLContext): Promise<AsUser> => {
  await viewer.requireId();
  return { authorization: request.headers.get('authorization') ?? '', clientIp };
};
