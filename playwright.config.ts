import { defineConfig, devices } from '@playwright/test';
import { chromiumFlags } from './chromium-flags.cjs';

/** Re-exported for the specs, the bench and the screenshots that launch a browser themselves. */
export { chromiumFlags };

export default defineConfig({
  testDir: './e2e',
  // Every test starts its own server on a free port with its own SQLite file (e2e/fixtures.ts).
  fullyParallel: true,
  workers: process.env['CI'] ? 2 : undefined,
  forbidOnly: !!process.env['CI'],
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]],
  globalSetup: './e2e/global-setup.ts',
  use: {
    ...devices['Desktop Chrome'],
    serviceWorkers: 'allow',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env['CHROME_BIN'] ?? '/usr/bin/chromium',
      args: chromiumFlags,
    },
  },
});
