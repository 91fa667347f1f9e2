import { BenchSetupError } from './bench-env';

/**
 * Runs a bench's entry point: prints where it points, and on failure a hint to start the system
 * instead of a bare stack trace, with a non-zero exit.
 */
export function runMain(name: string, body: () => Promise<void>): void {
  body().then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof BenchSetupError) {
        console.error(`\n${name}: ${error.message}`);
        process.exit(1);
      }
      console.error(`\n${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      console.error('Is the system up? Start it with `npm start` (or point PRODUCER_URL, CONSUMER_URL, KAFKA_BROKERS and DATABASE_URL at it).');
      process.exit(1);
    },
  );
}
