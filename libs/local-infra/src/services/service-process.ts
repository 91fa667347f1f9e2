import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import pretty from 'pino-pretty';
import { ROOT } from '../paths';
import { stopChild } from '../stop-child';

export interface ServiceProcess {
  name: string;
  /** The last lines the process wrote (raw), for error messages. */
  recentOutput(): string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Sends `signal` (SIGTERM: a clean stop; SIGKILL: a crash) and waits for the exit. */
  stop(timeoutMs?: number, signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Node's flags and environment for a built service, the same as the Dockerfiles' CMD and ENV (a
 * deploy check compares them); docs/performance.md has the measurements behind them:
 * - a young generation of 2 × 6 MB instead of V8's default (2 × 32 MB on this kind of machine),
 *   and an old generation collected once it grows 20% past what was live, not up to 4×: about
 *   130 MB less RSS under GraphQL load, and (unlike 2 × 4 MB, which costs the GraphQL path a
 *   third of its throughput in scavenges) no measurable CPU; 2 × 8 MB and 30% left the consumer
 *   at 180 MB under the HTTP bench, this at 158 (docs/performance.md, "Settings and the measurements behind them");
 * - one malloc arena: argon2id takes its memory (ARGON2_MEMORY_KIB) per hash from whichever libuv
 *   thread runs it, and with an arena per thread each one keeps it after the hash (at 19 MiB and 4
 *   threads: 76 MB idle).
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=6', '--heap-growing-percent=20'];
export const SERVICE_ENV = { GLIBC_TUNABLES: 'glibc.malloc.arena_max=1' };

/**
 * Runs a service as its own process (as in production: one process per service), with its JSON
 * logs made readable and prefixed with its name: built (`<service>/dist/main.js`, what the images
 * run) or from its TypeScript sources through tsx (tests).
 */
export function startService({
  name,
  env,
  logFile,
  from = 'source',
  entry = join(name, 'src', 'main.ts'),
}: {
  name: string;
  env: Record<string, string>;
  /** Raw JSON logs go here instead of the terminal (tests). */
  logFile?: string;
  from?: 'source' | 'build';
  /** From source: the TypeScript file to run, relative to the repository (a test's own wiring, with its faults). */
  entry?: string;
}): ServiceProcess {
  const args = from === 'build' ? [...SERVICE_NODE_FLAGS, join(ROOT, name, 'dist', 'main.js')] : ['--conditions=herald-source', '--import', 'tsx', join(ROOT, entry)];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...(from === 'build' ? SERVICE_ENV : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let recent: string[] = [];
  const remember = (chunk: Buffer) => {
    recent = [...recent, ...chunk.toString().split('\n').filter(Boolean)].slice(-20);
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);
  if (logFile) {
    const out = createWriteStream(logFile, { flags: 'a' });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
  } else {
    child.stdout?.pipe(pretty({ colorize: process.stdout.isTTY, ignore: 'pid,hostname,service', messageFormat: `[${name}] {msg}`, translateTime: 'SYS:HH:MM:ss.l' }));
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  }
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return {
    name,
    recentOutput: () => recent.join('\n'),
    child,
    exited,
    stop: (timeoutMs = 15_000, signal: NodeJS.Signals = 'SIGTERM') => stopChild(child, exited, { signal, timeoutMs }),
  };
}

/** Polls a URL until it answers 2xx (true), the time is up or `stop()` says so (false). */
export async function answersOk(url: string, { timeoutMs, stop = () => false }: { timeoutMs: number; stop?: () => boolean }): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stop()) {
    if (await fetch(url).then((response) => response.ok, () => false)) return true;
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
  return false;
}

/** Polls a URL until it answers 200; rejects when the process exits or the time is up. */
export async function waitForHttp(url: string, service: ServiceProcess, timeoutMs = 60_000): Promise<void> {
  let exitCode: number | null | undefined;
  void service.exited.then((code) => (exitCode = code));
  if (await answersOk(url, { timeoutMs, stop: () => exitCode !== undefined })) return;
  if (exitCode !== undefined) throw new Error(`${service.name} exited with code ${exitCode} during start-up. Its last output:\n${service.recentOutput()}`);
  await service.stop();
  throw new Error(`${service.name} did not answer ${url} within ${timeoutMs / 1000}s. Its last output:\n${service.recentOutput()}`);
}
