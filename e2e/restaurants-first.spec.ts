import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Issue #12, point 2: the list starts with restaurants, and the map never stands in the way. */

const cards = (page: Page) => page.locator('main .cards app-restaurant-card');

async function firstCardFullyVisible(page: Page): Promise<void> {
  await expect(cards(page)).toHaveCount(10);
  const viewport = page.viewportSize()!;
  const box = (await cards(page).first().boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test(`at ${viewport.width}×${viewport.height} a whole restaurant card is on the first screen, online and offline`, async ({ page, context }) => {
    await page.setViewportSize(viewport);
    await page.goto('/');
    await firstCardFullyVisible(page);
    // Offline adds the "Offline" pill to the header: it must not push the card down.
    await context.setOffline(true);
    await expect(page.locator('app-sync-status')).toContainText('Offline');
    await firstCardFullyVisible(page);
  });
}

test('wide screens show the map beside the list', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  await expect(cards(page)).toHaveCount(10);
  const map = page.getByRole('region', { name: 'Map of the restaurants in the list' });
  await expect(map).toBeVisible({ timeout: 20_000 });
  const mapBox = (await map.boundingBox())!;
  const cardBox = (await cards(page).first().boundingBox())!;
  expect(mapBox.x).toBeGreaterThanOrEqual(cardBox.x + cardBox.width);
  await expect(page.getByRole('button', { name: 'Show map' })).toBeHidden();
});

test('narrow screens keep the map behind a "Show map" button', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await expect(cards(page)).toHaveCount(10);
  const map = page.locator('#list-map');
  await expect(map).toBeHidden();
  // A phone does not pay for a map it does not show: Leaflet waits for "Show map", past idle time.
  for (let i = 0; i < 3; i++) await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve)));
  await expect(page.locator('.leaflet-container')).toHaveCount(0);
  const toggle = page.getByRole('button', { name: 'Show map' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(map).toBeVisible();
  await expect(page.getByRole('button', { name: 'Hide map' })).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('region', { name: 'Map of the restaurants in the list' })).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Hide map' }).click();
  await expect(map).toBeHidden();
});

test('keyboard: the first Tab after the filters reaches a restaurant, and one Tab passes the map', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  await expect(cards(page)).toHaveCount(10);
  // The map's markers are drawn: they would be tab stops if the map came first.
  await expect(page.locator('.leaflet-marker-icon').first()).toBeAttached({ timeout: 20_000 });
  await page.getByLabel('Sort by').focus();
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus')).toHaveClass(/card-link/);
  await expect(page.locator(':focus')).toHaveText(await page.locator('main .cards .card-link').first().innerText());

  // Past the cards (a link and a heart each) to the map's skip link, and over the map in one step.
  const stops = await page.locator('main .cards a, main .cards button').count();
  for (let i = 1; i < stops; i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus')).toHaveText('Skip the map');
  await page.keyboard.press('Enter');
  await expect(page.locator(':focus')).toHaveAttribute('id', 'after-map');
  // Nothing of the map is focusable after that point.
  await page.keyboard.press('Tab');
  const inMap = await page.evaluate(() => !!document.activeElement?.closest('#list-map'));
  expect(inMap).toBe(false);
});
