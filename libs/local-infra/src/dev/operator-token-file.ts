import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DevConfig } from './dev-config';

type DataDir = Pick<DevConfig, 'HERALD_DATA_DIR'>;

/** Where a running `npm start` keeps the operator token of its run, for the benches on the same machine. */
export const operatorTokenFile = (config: DataDir) => join(config.HERALD_DATA_DIR, 'operator-token');

/**
 * Notes the run's operator token for the benches (a random one is printed once and otherwise
 * lost): readable by its owner only, written anew (a file left by a killed run keeps no old
 * mode), and removed by the returned function when the run stops.
 */
export function writeOperatorTokenFile(config: DataDir, token: string): () => void {
  const file = operatorTokenFile(config);
  mkdirSync(config.HERALD_DATA_DIR, { recursive: true });
  rmSync(file, { force: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return () => rmSync(file, { force: true });
}

/** The operator token of the `npm start` running on this data dir, if one is. */
export function localOperatorToken(config: DataDir): string | undefined {
  try {
    return readFileSync(operatorTokenFile(config), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
