import type { ChildProcess } from 'node:child_process';

/**
 * Sends `signal` to a child process and waits for it to exit; if it is still there after
 * `timeoutMs`, kills it. Returns at once for a child that has already exited.
 */
export async function stopChild(child: ChildProcess, exited: Promise<unknown>, { signal = 'SIGTERM', timeoutMs }: { signal?: NodeJS.Signals; timeoutMs: number }): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}
