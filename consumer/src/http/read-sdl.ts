import { readFileSync } from 'node:fs';

/**
 * One schema's SDL from its .graphql files, read from beside the code that names them: src/ under
 * tsx and jest, dist/ in a build (the consumer's build copies the .graphql files there). Read once,
 * when a yoga is built at start-up.
 */
export function readSdl(files: readonly string[]): string {
  return files.map((file) => readFileSync(file, 'utf8')).join('\n');
}
