import type { IncomingMessage } from 'node:http';
import { expect, testThroughProxy as test, waitForOfflineReady } from './fixtures';

/** A page request (not the app's API calls, which pass): what a captive portal or dead Wi-Fi stalls. */
const isPageRequest = (req: IncomingMessage) =>
  req.headers['sec-fetch-mode'] === 'navigate' || (req.headers.accept ?? '').startsWith('text/html');

test('a navigation the network takes and never answers opens the app from the cache, with its data', async ({ page, faults }) => {
  await page.goto('/restaurant/2');
  await waitForOfflineReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Emily' })).toBeVisible();

  // From now on the server's HTML is held for 30 s. Without the worker's limit (3 s) the reload
  // waits all of that, and this test's 15 s limit on it fails.
  faults.inject({ kind: 'delay', ms: 30_000 }, isPageRequest);
  await page.reload({ timeout: 15_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'Emily' })).toBeVisible();
  await expect(page.getByRole('table', { name: /opening hours/i })).toBeVisible();
  expect(faults.matched('GET', '/restaurant/2')).toBe(1);

  // A link inside the app is the router's, not a navigation: the list opens at once.
  await page.getByRole('link', { name: /All restaurants/ }).click();
  await expect(page.getByRole('link', { name: 'Casa Enrique' })).toBeVisible();
});
