import { expect, test } from './fixtures';
import { watchCspViolations } from './csp';
import { writeReview } from './sync-helpers';

test('the app runs under its Content-Security-Policy with no violation, on both pages and through a write', async ({
  page,
}) => {
  const violations = await watchCspViolations(page);

  const response = await page.goto('/');
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");

  await expect(page.getByRole('link', { name: 'Emily' })).toBeVisible();
  await page.getByRole('link', { name: 'Emily' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Emily' })).toBeVisible();
  await writeReview(page, { name: 'Cato', rating: 4, comments: 'Checked under a strict policy.' });
  await expect(page.getByText('Checked under a strict policy.')).toBeVisible();
  // Give the idle-deferred map (Leaflet and its styles) time to load too.
  await page.waitForTimeout(1500);

  expect(await violations()).toEqual([]);
});
