import type { Request } from 'express';

/**
 * The client's IP as express resolves it under `trust proxy` (TRUST_PROXY): the X-Forwarded-For
 * entry added by the nearest trusted peer (the ALB, or the consumer forwarding its own client),
 * else the socket's peer. A forged X-Forwarded-For from an untrusted peer is ignored.
 */
export const clientIp = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';
