import { createServer } from 'node:net';
import { freePort } from './net';

describe('freePort', () => {
  it('hands out distinct ports below the ephemeral range, each one bindable', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 50; i += 1) ports.push(await freePort());
    expect(new Set(ports).size).toBe(50);
    expect(ports.filter((port) => port < 20_000 || port > 32_767)).toEqual([]);
    const server = createServer();
    await new Promise<void>((listening, failed) => server.once('error', failed).listen(ports[0], '127.0.0.1', listening));
    await new Promise((closed) => server.close(closed));
  });
});
