import { z } from 'zod';
import { envVar } from './config';

/** Variables every Herald service reads; spread into a service's own schema. */
export const serviceEnvShape = (defaultPort: number) => ({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: envVar.port(defaultPort),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long a SIGTERM may take before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: envVar.int(10_000, 100),
});
