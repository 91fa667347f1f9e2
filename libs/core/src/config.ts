import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';

/**
 * Raised when the environment does not describe a runnable service. The message names every
 * offending variable, so the process can print it and exit.
 */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export type Env = Record<string, string | undefined>;

/**
 * Parses environment variables with a zod schema whose keys are the variable names. Called once,
 * at start-up, by each service's `loadConfig`; nothing else reads `process.env`.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const given = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
        // Echo short values to help spot typos, but never anything that may be a secret.
        const echo = given !== undefined && given.length <= 64 && !/KEY|SECRET|PASSWORD|TOKEN/.test(name) ? ` (got "${given}")` : '';
        return `${name}: ${issue.message}${echo}`;
      }),
    );
  }
  return result.data;
}

/**
 * The process environment merged over a `.env` file, when one exists in the working folder.
 * Real environment variables win, so a deployment never gets a developer's file by accident.
 */
export function readEnv(env: Env = process.env, path = '.env'): Env {
  const fromFile: Env = {};
  loadDotenv({ path, processEnv: fromFile as Record<string, string>, quiet: true });
  return { ...fromFile, ...env };
}

const wholeNumber = (fallback: number, min: number, max: number, what: string) =>
  z
    .string()
    .regex(/^\d+$/, `must be ${what}`)
    .default(String(fallback))
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** Common zod helpers for environment variables, which are always strings. */
export const envVar = {
  port: (fallback: number) => wholeNumber(fallback, 0, 65535, 'a port number (0-65535)'),
  int: (fallback: number, min = 0) => wholeNumber(fallback, min, Number.MAX_SAFE_INTEGER, 'a whole number'),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1' || value === 'yes'),
  list: () =>
    z
      .string()
      .min(1)
      .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean)),
};
