import { randomInt } from 'node:crypto';
import { createConnection, createServer } from 'node:net';

/**
 * Ports handed out from below the kernel's ephemeral range (Linux 32768-60999, macOS from 49152).
 * Port 0 would ask the kernel, which answers from that range; every outgoing connection of every
 * other suite takes its local port from it too, so a port asked that way could be taken between
 * the asking and a Kafka node's bind, seconds later. Below the range only listeners compete.
 */
const FIRST_PORT = 20_000;
const LAST_PORT = 32_767;
const handedOut = new Set<number>();

function bindable(port: number): Promise<boolean> {
  return new Promise((resolveBindable) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolveBindable(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveBindable(true)));
  });
}

/** A port free right now on 127.0.0.1, never one this process handed out before. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = randomInt(FIRST_PORT, LAST_PORT + 1);
    if (handedOut.has(port) || !(await bindable(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port between ${FIRST_PORT} and ${LAST_PORT} after 200 tries`);
}

/** Whether something accepts TCP connections on host:port. */
export function isListening(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolveListening) => {
    const socket = createConnection({ port, host });
    const done = (result: boolean) => {
      socket.destroy();
      resolveListening(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
