import { expect, test } from './fixtures';

/** Issue #12, point 4: empty, loading and not-found states. */

test('"Favorites only" with no favorite says how to add one, and shows no empty map', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('main .cards app-restaurant-card')).toHaveCount(10);
  await page.getByLabel('Favorites only').check();
  const empty = page.locator('.empty-favorites');
  await expect(empty).toContainText('No favorites yet');
  await expect(empty).toContainText('Favorite');
  await expect(page.getByText('No restaurants match these filters')).toHaveCount(0);
  await expect(page.locator('#list-map')).toHaveCount(0);
  await expect(page.locator('.map-placeholder, app-restaurant-map')).toHaveCount(0);
  await page.getByRole('button', { name: 'Show all restaurants' }).click();
  await expect(page.locator('main .cards app-restaurant-card')).toHaveCount(10);
  await expect(page.getByLabel('Favorites only')).not.toBeChecked();
});

test('skeleton cards stand where the cards will be while the list loads', async ({ page, context }) => {
  // A slow network on a first visit: nothing is cached yet, so the list must wait for it.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await context.route(/\/restaurants\/?(\?.*)?$/, async (route) => {
    await released;
    await route.continue();
  });
  await page.goto('/');
  const skeleton = page.locator('.skeleton-cards[aria-busy="true"]');
  await expect(skeleton).toBeVisible();
  await expect(skeleton.locator('.skeleton-card')).toHaveCount(6);
  await expect(skeleton).toContainText('Loading restaurants…');
  release();
  await expect(page.locator('main .cards app-restaurant-card')).toHaveCount(10);
  await expect(skeleton).toHaveCount(0);
});

test('one not-found page, and a real 404 from the server for deep links that lead nowhere', async ({ page, browser, server }) => {
  for (const path of ['/restaurant/999', '/restaurant/not-a-number', '/no/such/page']) {
    // A fresh context each time: the server answers, not a service worker from an earlier visit.
    const context = await browser.newContext({ baseURL: server.url });
    const fresh = await context.newPage();
    const response = await fresh.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(fresh.locator('app-not-found h1')).toHaveText(/not found/i);
    await expect(fresh.locator('app-not-found').getByRole('link', { name: 'See all restaurants' })).toBeVisible();
    await context.close();
  }
  const ok = await page.goto('/restaurant/3');
  expect(ok?.status()).toBe(200);
  await expect(page.locator('app-not-found')).toHaveCount(0);
});
