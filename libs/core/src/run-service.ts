import { ConfigError } from './config';
import { createLogger, type Logger } from './logger';

export interface RunningService {
  stop(): Promise<void>;
}

export interface ServiceDefinition<C extends { logLevel: string; shutdownTimeoutMs: number }> {
  name: string;
  loadConfig: () => C;
  start: (config: C, logger: Logger) => Promise<RunningService>;
}

/**
 * A service's process entry point: parse the config once (a bad one prints what is wrong and
 * exits 1), start, and on SIGTERM or SIGINT stop cleanly and exit 0, or exit 1 if stopping
 * takes longer than the shutdown timeout.
 */
export function runService<C extends { logLevel: string; shutdownTimeoutMs: number }>({ name, loadConfig, start }: ServiceDefinition<C>): void {
  let config: C;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? `${name}: ${error.message}` : `${name}: ${String(error)}`);
    process.exit(1);
  }
  const logger = createLogger({ name, level: config.logLevel });
  start(config, logger).then(
    (service) => {
      let stopping = false;
      const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        const timer = setTimeout(() => {
          logger.error('shutdown took too long; exiting');
          process.exit(1);
        }, config.shutdownTimeoutMs + 2000);
        await service.stop();
        clearTimeout(timer);
        process.exit(0);
      };
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
      process.on('SIGINT', () => void shutdown('SIGINT'));
    },
    (error: unknown) => {
      logger.fatal({ err: error }, `${name} failed to start`);
      process.exit(1);
    },
  );
}
