import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Every end-to-end test spawns node processes: forks keep them apart, one file per worker.
    pool: 'forks',
    // Two files at a time, also on a 2-core machine (vitest's default there is one: cores − 1): the
    // end-to-end files wait on the processes they spawn, on bash and on PostgreSQL about half the time.
    maxWorkers: 2,
    minWorkers: 2,
  },
});
