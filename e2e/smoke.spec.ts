import { expect, test } from './fixtures';

test('the app opens from the real server and shows the 10 classic restaurants', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Mission Chinese Food' })).toBeVisible();
  await expect(page.locator('main').getByRole('link', { name: /^(Mission Chinese Food|Emily|Kang Ho Dong Baekjeong|Katz's Delicatessen|Roberta's Pizza|Hometown BBQ|Superiority Burger|The Dutch|Mu Ramen|Casa Enrique)$/ })).toHaveCount(10);
});
