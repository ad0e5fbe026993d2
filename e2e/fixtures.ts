import { test as base, expect } from '@playwright/test';
import { type ServeProcess, startServe } from './serve-process';

/**
 * `server`: a `fleetdeck serve` of its own per test, on a fresh data folder (first launch:
 * the simulated fleet, no key). `page` opens the printed URL before the test starts; wait for
 * `[data-app-state="ready"]` (helpers.waitForReady), never for time.
 */
export const test = base.extend<{ server: ServeProcess }>({
  // Playwright reads a fixture's dependencies from its first parameter's pattern: none here.
  // biome-ignore lint/correctness/noEmptyPattern: Playwright requires the destructuring pattern
  server: async ({}, use, testInfo) => {
    const server = await startServe();
    try {
      await use(server);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus)
        await testInfo.attach('fleetdeck-serve.stderr', {
          body: server.stderr(),
          contentType: 'text/plain',
        });
      await server.stop();
    }
  },
  page: async ({ page, server }, use) => {
    await page.goto(server.url);
    await use(page);
  },
});

export { expect };
