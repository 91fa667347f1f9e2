import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium: CHROMIUM_PATH, else `chromium` (or `chromium-browser`) on the PATH. Never a downloaded browser. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not on the PATH
    }
  }
  return undefined;
}

export const NO_CHROMIUM =
  'The console\'s browser tests need Chromium from Debian: run `apt-get update && apt-get install -y chromium` ' +
  '(as root; .ci/run does this in CI), or set CHROMIUM_PATH to a Chromium binary. playwright-core never downloads a browser.';

/** Headless Chromium driven by playwright-core; fails (never skips) without one, in CI and out of it. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(process.env.CI === 'true' ? `CI: ${NO_CHROMIUM}` : NO_CHROMIUM);
  // --no-sandbox: CI and these machines run as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}
