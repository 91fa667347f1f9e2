import type { QueryInterface } from 'sequelize';

/**
 * The table rate-limiter-flexible's RateLimiterPostgres counts in (columns in the order its
 * INSERT expects: key, points, expire). Made here rather than by the library at start-up: the
 * migration lock stops two tasks racing to create it, the table exists before the first request,
 * and `key` is text instead of the library's varchar(255).
 */
export const rateLimits = {
  name: '0002-rate-limits',
  async up(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query(`
      CREATE TABLE rate_limits (
        -- "<limit>:<subject>", e.g. "login-fail-ip-account:203.0.113.7|ada"
        key text PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        -- epoch milliseconds after which the row no longer counts
        expire bigint
      );
      -- The library's periodic clean-up deletes by expiry.
      CREATE INDEX rate_limits_expire ON rate_limits (expire);
    `);
  },
  async down(queryInterface: QueryInterface): Promise<void> {
    await queryInterface.sequelize.query('DROP TABLE rate_limits');
  },
};
