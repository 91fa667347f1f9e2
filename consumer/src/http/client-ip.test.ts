import type { IncomingMessage } from 'node:http';
import { createClientIp } from './client-ip';

const requestFrom = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, connection: { remoteAddress: peer }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as IncomingMessage;

describe('client address', () => {
  const byDefault = createClientIp(['loopback', 'linklocal', 'uniquelocal']);

  it('when the peer is a trusted proxy (private or loopback), the address it forwards is the client', () => {
    expect(byDefault(requestFrom('10.0.3.7', '198.51.100.20'))).toBe('198.51.100.20');
    expect(byDefault(requestFrom('127.0.0.1', '198.51.100.20'))).toBe('198.51.100.20');
  });

  it('when a client sends X-Forwarded-For itself, from the internet, its own address counts', () => {
    expect(byDefault(requestFrom('203.0.113.9', '127.0.0.1'))).toBe('203.0.113.9');
  });

  it('a client behind the load balancer cannot prepend an address of its choice', () => {
    expect(byDefault(requestFrom('10.0.3.7', '1.2.3.4, 198.51.100.20'))).toBe('198.51.100.20');
  });

  it('with trust off, the peer is the client whatever the header says', () => {
    expect(createClientIp(false)(requestFrom('10.0.3.7', '198.51.100.20'))).toBe('10.0.3.7');
  });
});
