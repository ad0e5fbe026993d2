import { defineConfig } from '@playwright/test';

/**
 * The console in a real browser: Debian's Chromium (`npx playwright install` cannot download
 * here) against `fleetdeck serve` on a fresh data folder per test (see fixtures.ts). The Electron
 * project runs the same smoke through Playwright's Electron launcher where a binary exists.
 */
export default defineConfig({
  testDir: '.',
  globalSetup: './global-setup.ts',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: true,
  retries: 0,
  reporter: [['list'], ['./summary-reporter.ts']],
  // Two cores run a serve process and a browser per worker: give expectations room.
  expect: { timeout: 15_000 },
  use: {
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.FLEETDECK_E2E_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    { name: 'chromium', testMatch: '*.spec.ts', testIgnore: 'electron/**' },
    { name: 'electron', testMatch: 'electron/*.spec.ts' },
  ],
});
