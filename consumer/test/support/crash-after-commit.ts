// The consumer as main.ts starts it, with one fault: the process kills itself (SIGKILL) right
// after the first database commit of the group named in CRASH_AFTER_COMMIT_OF (`users` or
// `tokens`), before that group commits its offset. Run by crash-recovery.test.ts in a process of
// its own, so that the kill is a real crash.
import { runService } from '@herald/core';
import { loadConfig } from '../../src/config';
import { startConsumer } from '../../src/main';

const group = process.env.CRASH_AFTER_COMMIT_OF;
if (group !== 'users' && group !== 'tokens') throw new Error('CRASH_AFTER_COMMIT_OF must be users or tokens');

runService({
  name: 'consumer',
  loadConfig,
  start: (config, logger) =>
    startConsumer(config, logger, {
      afterDatabaseCommit: (groupId) => {
        if (groupId !== config.projector.groups[group].groupId) return;
        logger.warn({ groupId }, 'test fault: crashing after the database commit, before the offset commit');
        process.kill(process.pid, 'SIGKILL');
      },
    }),
});
