import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

export type TrustProxy = boolean | number | string[];

/**
 * The client's address: the peer's, or the last untrusted one in X-Forwarded-For when the peer is
 * a trusted proxy (the load balancer). The same rule as express' `trust proxy`, for HTTP and for
 * graphql-ws upgrades, so a client cannot name its own address by sending the header.
 */
export function createClientIp(trust: TrustProxy): (req: IncomingMessage) => string {
  const trusted = typeof trust === 'boolean' ? () => trust : typeof trust === 'number' ? (_: string, hop: number) => hop < trust : proxyaddr.compile(trust);
  return (req) => proxyaddr(req, trusted);
}
